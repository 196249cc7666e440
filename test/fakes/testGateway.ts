import type { AddressInfo } from "node:net";
import { createLogger } from "@bazaar/runtime";
import type { RequestHandler } from "express";
import type { Registry } from "prom-client";
import { createApp } from "../../gateway/src/app.js";
import { SCOPES } from "../../gateway/src/edge/tokens.js";
import { createConsistencyTokens } from "../../gateway/src/http/consistencyTokens.js";
import { sendProblem } from "../../gateway/src/http/problem.js";
import { createCursorSeal } from "../../gateway/src/http/signedCursors.js";
import { createScriptedDownstreams } from "./scriptedDownstreams.js";

export const ALL_SCOPES = SCOPES.join(" ");

/**
 * Stands in for the JWT module in tests: the caller's scopes come from `X-Test-Scopes`
 * (space-separated); none → 401, missing ones → 403. `X-Test-Customer`: the customer the
 * caller acts for (an end user's token).
 */
export const headerAuthorize =
  (scopes: string[]): RequestHandler =>
  (req, res, next) => {
    const granted = req.header("x-test-scopes");
    if (granted === undefined) {
      sendProblem(res, { type: "/problems/unauthorized", title: "Unauthorized", status: 401, instance: req.originalUrl });
      return;
    }
    const missing = scopes.filter((scope) => !granted.split(" ").includes(scope));
    if (missing.length > 0) {
      sendProblem(res, {
        type: "/problems/forbidden",
        title: "Forbidden",
        status: 403,
        detail: `missing scopes: ${missing.join(" ")}`,
        instance: req.originalUrl,
      });
      return;
    }
    const customerId = req.header("x-test-customer");
    res.locals.principal = { subject: "tester", scopes: granted.split(" "), ...(customerId ? { customerId } : {}) };
    next();
  };

/** The gateway over scripted downstreams on a free port, for unit tests of the HTTP edge. */
export const startTestGateway = async (options: { bodyLimit?: string; metrics?: Registry } = {}) => {
  const downstreams = createScriptedDownstreams();
  const tokens = createConsistencyTokens("test-secret-of-at-least-thirty-two-bytes");
  const app = createApp({
    ...downstreams.deps,
    tokens,
    cursors: createCursorSeal("test-secret-of-at-least-thirty-two-bytes"),
    consistencyWaitMs: 1500,
    authorize: headerAuthorize,
    logger: createLogger("gateway-test", {}),
    bodyLimit: options.bodyLimit ?? "16kb",
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  /** A header given as undefined is not sent (e.g. `x-test-scopes` for an anonymous call). */
  const call = (method: string, path: string, init: { body?: unknown; raw?: string; headers?: Record<string, string | undefined> } = {}) =>
    fetch(`${base}${path}`, {
      method,
      headers: Object.fromEntries(
        Object.entries({
          "x-test-scopes": ALL_SCOPES,
          ...(init.body !== undefined || init.raw !== undefined ? { "content-type": "application/json" } : {}),
          ...init.headers,
        }).filter((entry): entry is [string, string] => entry[1] !== undefined),
      ),
      ...(init.raw !== undefined ? { body: init.raw } : init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  return {
    base,
    downstreams,
    tokens,
    get: (path: string, headers?: Record<string, string>) => call("GET", path, { headers }),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call("POST", path, { body, headers }),
    call,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

export type TestGateway = Awaited<ReturnType<typeof startTestGateway>>;
