import { pino, type Logger } from "pino";

export type { Logger };

/** JSON logs on stdout, one line per entry, tagged with the service and its roles. */
export const createLogger = (service: string, bindings: Record<string, unknown> = {}): Logger =>
  pino({
    name: service,
    level: process.env.LOG_LEVEL ?? "info",
    base: { service, pid: process.pid, ...bindings },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
