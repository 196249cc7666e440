import type { Request, Response } from "express";
import type { z } from "zod";
import type { Scope } from "../edge/tokens.js";

/** A documented response: its body schema (none for an empty body) and the headers it sets. */
export interface ResponseSpec {
  description: string;
  /** Body schema; problem responses use the shared RFC 9457 schema when `problem` is set. */
  schema?: z.ZodType;
  problem?: boolean;
  headers?: Record<string, { description: string; schema?: z.ZodType }>;
}

/** What a handler answers: the helper writes it, so handlers stay free of `res` plumbing. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sends `application/problem+json` instead of JSON. */
  problem?: boolean;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface HandlerInput<P, Q, B, H> {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
  headers: Parsed<H>;
  req: Request;
  res: Response;
}

/**
 * One route: what it accepts and answers (the OpenAPI operation is generated from it) and what
 * it does. Input is parsed with the same schemas the document shows, so the two cannot drift.
 */
export interface RouteSpec<P, Q, B, H> {
  method: "get" | "post";
  /** OpenAPI template, e.g. `/v1/products/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** Required scopes (the JWT's `scope` claim must carry every one); empty for public operations endpoints. */
  scopes: readonly Scope[];
  params?: P;
  query?: Q;
  body?: B;
  /** Header parameters by their canonical name (e.g. `If-Match`); read case-insensitively. */
  headers?: H;
  responses: Record<number, ResponseSpec>;
  /**
   * Object-level authorization on the parsed input (e.g. the customer a path names): throws to
   * refuse. Runs right after validation, before the command guards record anything.
   */
  authorizeInput?(input: HandlerInput<P, Q, B, H>): void;
  handler(input: HandlerInput<P, Q, B, H>): Promise<Reply>;
}

/** A route whose input types are erased: what the router and the document generator see. */
export type Route = RouteSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined, z.ZodObject | undefined>;

type Schema = z.ZodType | undefined;

/** Declares a route; the generics carry the schemas' types into the handler. */
export const defineRoute = <
  P extends Schema = undefined,
  Q extends Schema = undefined,
  B extends Schema = undefined,
  H extends z.ZodObject | undefined = undefined,
>(
  spec: RouteSpec<P, Q, B, H>,
): Route => spec;
