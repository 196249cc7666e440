import { isSpanContextValid, trace } from "@opentelemetry/api";
import { pino, type Logger } from "pino";

export type { Logger };

/**
 * What never reaches a log line: credentials (an Authorization header, a token), request and
 * response bodies (personal data: names, emails, addresses), and the metadata a gRPC client
 * error carries (the caller's headers, service credentials included). Paths at the top level and
 * one or two levels down cover `{ req: { headers } }`, `{ err: { metadata } }` and the like.
 */
export const REDACTED_PATHS = [
  "authorization",
  "headers.authorization",
  "headers.cookie",
  "*.headers.authorization",
  "*.headers.cookie",
  "*.authorization",
  "token",
  "*.token",
  "body",
  "*.body",
  "metadata",
  "*.metadata",
  "err.cause.metadata",
  "err.cause.body",
];

/** The active span's ids, so a log line leads to its trace (nothing when tracing is off or no span is active). */
export const traceIds = (): { trace_id?: string; span_id?: string } => {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && isSpanContextValid(spanContext) ? { trace_id: spanContext.traceId, span_id: spanContext.spanId } : {};
};

/** JSON logs on stdout, one line per entry, tagged with the service and its roles (and trace ids, see traceIds). */
export const createLogger = (service: string, bindings: Record<string, unknown> = {}, destination?: pino.DestinationStream): Logger =>
  pino(
    {
      name: service,
      level: process.env.LOG_LEVEL ?? "info",
      base: { service, pid: process.pid, ...bindings },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      mixin: traceIds,
    },
    destination,
  );
