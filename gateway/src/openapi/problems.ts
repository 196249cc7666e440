import type { ResponseSpec } from "./defineRoute.js";

const DESCRIPTIONS: Record<number, string> = {
  400: "Invalid request: every failing field is named in `errors`",
  401: "No valid bearer token",
  403: "The token lacks a required scope, or does not act for the customer the request names",
  404: "No such resource",
  409: "Conflict: already exists, stale `If-Match` version, or refused by a business rule",
  413: "Body too large",
  503: "A downstream service is unavailable (see Retry-After)",
  504: "A downstream service did not answer in time",
};

/** The problem+json responses a route can answer, documented once. */
export const problems = (...statuses: number[]): Record<number, ResponseSpec> =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: DESCRIPTIONS[status] ?? "Problem",
        problem: true,
        ...(status === 503 ? { headers: { "Retry-After": { description: "Seconds to wait before retrying" } } } : {}),
      },
    ]),
  );

/** What every route that calls a downstream can answer besides its own outcomes. */
export const downstreamProblems = problems(400, 503, 504);
