import { tracerFor } from "@bazaar/core/spans";
import { context, isSpanContextValid, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type TextMapGetter } from "@opentelemetry/api";
import type { IncomingHttpHeaders } from "node:http";
import type { Request, RequestHandler, Response } from "express";

const tracer = tracerFor("gateway");

const headers: TextMapGetter<IncomingHttpHeaders> = {
  get: (carrier, key) => carrier[key],
  keys: (carrier) => Object.keys(carrier),
};

/** Where a request's trace context waits for middleware that loses the async context (the body parser). */
const traceContextOf = (res: Response): Context | undefined => (res.locals as { traceContext?: Context }).traceContext;

/** `/v1/products/:id` for a matched route; none for a request no route took. */
const routeOf = (req: Request): string | undefined => {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === "string" ? `${req.baseUrl}${path}` : undefined;
};

/**
 * The gateway's SERVER span per request: continues a valid incoming `traceparent` (a malformed
 * one restarts the trace), answers with `traceparent` and `X-Trace-Id` — how a caller finds its
 * request's trace — and runs the rest of the request in the span's context, so every downstream
 * call joins the trace. Tracing off: the request passes untouched.
 */
export const httpServerSpans: RequestHandler = (req, res, next) => {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers, headers);
  const span = tracer.startSpan(req.method, { kind: SpanKind.SERVER, attributes: { "http.request.method": req.method } }, parent);
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) {
    next();
    return;
  }
  const spanned = trace.setSpan(parent, span);
  (res.locals as { traceContext?: Context }).traceContext = spanned;
  const answer: { traceparent?: string } = {};
  propagation.inject(spanned, answer);
  if (answer.traceparent) res.setHeader("traceparent", answer.traceparent);
  res.setHeader("X-Trace-Id", spanContext.traceId);
  // A span that is not recorded (tracing off, or a trace the sampler left out: most of them at a
  // ratio) keeps nothing: the request's details are looked up only for one that is.
  if (!span.isRecording()) {
    context.with(spanned, next);
    return;
  }
  span.setAttributes({ "url.path": req.path, "url.scheme": req.protocol, "user_agent.original": req.get("user-agent") ?? "" });
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    const route = routeOf(req);
    if (route) {
      span.updateName(`${req.method} ${route}`);
      span.setAttribute("http.route", route);
    }
    span.setAttribute("http.response.status_code", res.statusCode);
    // A 4xx is the caller's; only a 5xx (or a connection closed before the answer) is the gateway's failure.
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${res.statusCode}` });
    else if (!res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR, message: "closed before the answer was sent" });
    span.end();
  };
  res.once("finish", end);
  res.once("close", end);
  context.with(spanned, next);
};

/** Re-enters the request's trace context after middleware that lost it (stream callbacks). */
export const resumeTraceContext: RequestHandler = (_req, res, next) => {
  const traced = traceContextOf(res);
  if (traced) context.with(traced, next);
  else next();
};
