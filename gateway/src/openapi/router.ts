import { ValidationError, type FieldViolation } from "@bazaar/core";
import { Router, type RequestHandler } from "express";
import type { z } from "zod";
import { sendProblem } from "../http/problem.js";
import { violationsOf } from "../http/validate.js";
import type { Route } from "./defineRoute.js";

/** `/v1/products/{id}` → `/v1/products/:id` */
export const expressPath = (path: string): string => path.replace(/\{([^}]+)\}/g, ":$1");

const parse = (schema: z.ZodType | undefined, input: unknown, violations: FieldViolation[]): unknown => {
  if (!schema) return undefined;
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  violations.push(...violationsOf(result.error));
  return undefined;
};

const headersOf = (schema: z.ZodObject | undefined, header: (name: string) => string | undefined) =>
  Object.fromEntries(
    Object.keys(schema?.shape ?? {}).flatMap((name) => {
      const value = header(name);
      return value === undefined ? [] : [[name, value]];
    }),
  );

/** What `validate` parsed, for the handler (set on `res.locals`). */
interface ParsedInput {
  params: unknown;
  query: unknown;
  headers: unknown;
  body: unknown;
}

/**
 * Mounts routes: authorization per route (its scopes), then every input part parsed with its
 * schema — all violations of params, query, headers and body reported together as one 400 —
 * then for commands what guards them (Idempotency-Key), and only then the handler. Validation
 * comes before the guards: a request refused for its input is never recorded under a key, and
 * only a body that fits a schema (bounded in size and depth) is ever fingerprinted.
 */
export const routerFor = (routes: readonly Route[], authorize: (scopes: string[]) => RequestHandler, beforeCommands: RequestHandler[] = []): Router => {
  const router = Router();
  for (const route of routes) {
    const validate: RequestHandler = (req, res, next) => {
      const violations: FieldViolation[] = [];
      const input: ParsedInput = {
        params: parse(route.params, req.params, violations),
        query: parse(route.query, req.query ?? {}, violations),
        headers: parse(
          route.headers,
          headersOf(route.headers, (name) => req.header(name)),
          violations,
        ),
        body: parse(route.body, req.body ?? {}, violations),
      };
      if (violations.length > 0) throw new ValidationError(violations);
      route.authorizeInput?.({ ...input, req, res } as Parameters<Route["handler"]>[0]);
      res.locals.input = input;
      next();
    };
    const handle: RequestHandler = async (req, res) => {
      const input = res.locals.input as ParsedInput;
      const reply = await route.handler({ ...input, req, res } as Parameters<Route["handler"]>[0]);
      for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
      if (reply.problem) {
        sendProblem(res, { instance: req.originalUrl, ...(reply.body as { type: string; title: string }), status: reply.status });
        return;
      }
      res.status(reply.status);
      if (reply.body === undefined) res.end();
      else res.json(reply.body);
    };
    // Authorization first: a refused request must not be recorded (e.g. under an Idempotency-Key).
    const handlers = [...(route.scopes.length > 0 ? [authorize([...route.scopes])] : []), validate, ...(route.method === "post" ? beforeCommands : []), handle];
    router[route.method](expressPath(route.path), ...handlers);
  }
  return router;
};
