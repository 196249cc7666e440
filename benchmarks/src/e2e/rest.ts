import { randomUUID } from "node:crypto";

/** An answer the operation did not expect (a status), thrown so the closed loop counts an error. */
export class UnexpectedStatusError extends Error {
  constructor(method: string, path: string, status: number, body: string) {
    super(`${method} ${path} → ${status} ${body.slice(0, 200)}`);
    this.name = "UnexpectedStatusError";
  }
}

/** JSON over the gateway's REST API with a bearer token; `idempotencyKeys` adds a fresh key to each POST. */
export const restClient = (base: string, token: string, options: { idempotencyKeys: boolean }) => {
  const send = async <T>(method: "GET" | "POST", path: string, body: unknown, expected: readonly number[]): Promise<{ status: number; body: T }> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (method === "POST" && options.idempotencyKeys) headers["idempotency-key"] = randomUUID();
    const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    if (!expected.includes(response.status)) throw new UnexpectedStatusError(method, path, response.status, text);
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  return {
    post: <T = { id: string }>(path: string, body: unknown, expected: readonly number[]) => send<T>("POST", path, body, expected),
    get: <T>(path: string, expected: readonly number[] = [200]) => send<T>("GET", path, undefined, expected),
  };
};

export type RestClient = ReturnType<typeof restClient>;
