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

export const contextOf = (req: Request, res: Response): RequestContext => {
  const given = req.header("x-correlation-id");
  const correlationId = given && CORRELATION_ID.test(given) ? given : randomUUID();
  const actor = actorOf(res);
  return { correlationId, actor, metadata: callMetadata({ correlationId, actor, traceparent: req.header("traceparent") }) };
};
