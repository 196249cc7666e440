import { ProblemError, type Problem } from "./problem.js";

/** How a read answered a consistency token: `none` when none was presented. */
export type Consistency = "consistent" | "stale" | "none";

export interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
  consistency: Consistency;
  /** How long the request took, the server's bounded wait for the read model included. */
  elapsedMs: number;
}

export interface CommandOptions {
  /** The aggregate version the change applies to (`If-Match`). */
  version?: number | undefined;
  query?: Record<string, string> | undefined;
}

export interface ApiClient {
  /** `answers`: statuses besides 2xx whose body is the answer (e.g. /readyz's 503). */
  get<T>(path: string, options?: { query?: Record<string, string | undefined>; consistent?: boolean; answers?: number[] }): Promise<Answer<T>>;
  command<T>(path: string, body: unknown, options?: CommandOptions): Promise<Answer<T>>;
}

const queryString = (query: Record<string, string | undefined> = {}) => {
  const entries = Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== "");
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : "";
};

/**
 * The REST API as the console calls it: the bearer token on every request, an Idempotency-Key
 * and If-Match on every command, and the latest X-Consistency-Token a command answered presented
 * on the reads after it (read your own writes), with the answer's X-Consistency kept.
 */
export const createApiClient = (token: () => string | undefined, base = ""): ApiClient => {
  let consistencyToken: string | undefined;

  const send = async <T>(method: string, path: string, headers: Record<string, string>, body?: unknown, answers: number[] = []): Promise<Answer<T>> => {
    const started = performance.now();
    const bearer = token();
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { Accept: "application/json, application/problem+json", ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const elapsedMs = Math.round(performance.now() - started);
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok && !answers.includes(response.status)) {
      const problem = (parsed ?? { type: "about:blank", title: response.statusText, status: response.status }) as Problem;
      throw new ProblemError({ ...problem, status: problem.status ?? response.status });
    }
    const consistency = response.headers.get("X-Consistency");
    return {
      status: response.status,
      body: parsed as T,
      headers: response.headers,
      consistency: consistency === "stale" || consistency === "consistent" ? consistency : "none",
      elapsedMs,
    };
  };

  return {
    get: (path, options = {}) =>
      send(
        "GET",
        `${path}${queryString(options.query)}`,
        options.consistent !== false && consistencyToken ? { "X-Consistency-Token": consistencyToken } : {},
        undefined,
        options.answers,
      ),
    async command(path, body, options = {}) {
      const headers: Record<string, string> = { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() };
      if (options.version !== undefined && options.version > 0) headers["If-Match"] = String(options.version);
      const answer = await send<never>("POST", `${path}${queryString(options.query)}`, headers, body);
      const issued = answer.headers.get("X-Consistency-Token");
      if (issued) consistencyToken = issued;
      return answer;
    },
  };
};
