import * as grpc from "@grpc/grpc-js";
import type { Registry } from "prom-client";
import { clientCallRecorders } from "./grpcMetrics.js";
import { endRpcSpan, injectSpanContext, startClientSpan } from "./grpcTracing.js";
import { serviceTokenWriter } from "./serviceAuth.js";

/** Who calls (its service token) and, optionally, the registry its calls are counted on. */
export interface ServiceCallSettings {
  secret: string;
  caller: string;
  metrics?: Registry | undefined;
}

/**
 * The one client interceptor of ours: per call a CLIENT span, its W3C context and `caller`'s
 * service token in the metadata, and — given a registry — the call counted and timed per method
 * and status code. One interceptor rather than one per concern: each `InterceptingCall` costs a
 * call its own requester, listener and closures in grpc-js, and these three ran on every call.
 * Whatever ends the call (the server, a deadline, a cancel, a refused token) comes back through
 * the one status listener, so the metrics see every end; a call that neither records metrics nor
 * a span (tracing off or unsampled) gets no listener at all.
 */
export const serviceCallInterceptor = (settings: ServiceCallSettings): grpc.Interceptor => {
  const recorderOf = settings.metrics ? clientCallRecorders(settings.metrics) : () => undefined;
  const writeToken = serviceTokenWriter(settings.secret, settings.caller);
  return (options, nextCall) => {
    const path = options.method_definition.path;
    const record = recorderOf(path);
    const span = startClientSpan(path);
    const recording = span.isRecording();
    return new grpc.InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        const startedAt = record ? performance.now() : 0;
        injectSpanContext(span, metadata);
        writeToken(metadata);
        if (!record && !recording) return next(metadata, listener);
        next(metadata, {
          onReceiveStatus(status, passOn) {
            if (recording) endRpcSpan(span, status.code, status.details);
            record?.(status.code, startedAt);
            passOn(status);
          },
        });
      },
    });
  };
};
