import { randomUUID } from "node:crypto";
import { callMetadata } from "@bazaar/runtime";
import type { Metadata } from "@grpc/grpc-js";
import type { Request, Response } from "express";

/** Who asks and why, carried to every downstream call of one request. */
export interface RequestContext {
  correlationId: string;
  actor: string;
  metadata: Metadata;
}

/** The subject that authentication put on `res.locals.principal`, if any. */
const actorOf = (res: Response): string => {
  const principal = (res.locals as { principal?: { subject?: unknown } }).principal;
  return typeof principal?.subject === "string" && principal.subject.length > 0 ? principal.subject : "anonymous";
};

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * W3C Trace Context `traceparent` (version 00 form, lower-case hex). Anything else is dropped
 * (the spec says to restart the trace): it goes into gRPC metadata, which throws on non-ASCII.
 */
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

const traceparentOf = (req: Request): string | undefined => {
  const given = req.header("traceparent")?.trim();
  return given !== undefined && TRACEPARENT.test(given) ? given : undefined;
};

export const contextOf = (req: Request, res: Response): RequestContext => {
  const given = req.header("x-correlation-id");
  const correlationId = given && CORRELATION_ID.test(given) ? given : randomUUID();
  const actor = actorOf(res);
  return { correlationId, actor, metadata: callMetadata({ correlationId, actor, traceparent: traceparentOf(req) }) };
};
