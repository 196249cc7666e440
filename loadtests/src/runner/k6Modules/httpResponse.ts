/** k6's `res.timings`, in milliseconds. This runner measures from send to the last body byte. */
export interface Timings {
  duration: number;
  blocked: number;
  connecting: number;
  tls_handshaking: number;
  sending: number;
  waiting: number;
  receiving: number;
}

export interface RequestInfo {
  method: string;
  url: string;
  headers: Record<string, string[]>;
  body: string;
}

/** `content-type` → `Content-Type`, as k6 (Go's net/http) spells response header names. */
export const canonicalHeaderName = (name: string): string =>
  name
    .toLowerCase()
    .split("-")
    .map((part) => (part.length > 0 ? part[0]!.toUpperCase() + part.slice(1) : part))
    .join("-");

/** A gjson-like path: `a.b.0.c` (dots between keys and array indices); `#` is an array's length. */
const select = (value: unknown, selector: string): unknown => {
  let current = value;
  for (const key of selector.split(".")) {
    if (current === null || current === undefined) return undefined;
    if (Array.isArray(current)) current = key === "#" ? current.length : current[Number(key)];
    else if (typeof current === "object") current = (current as Record<string, unknown>)[key];
    else return undefined;
  }
  return current;
};

/** The Response object a k6/http call resolves to. */
export class Response {
  private parsed: { value: unknown } | undefined;

  constructor(
    readonly status: number,
    readonly status_text: string,
    readonly body: string | ArrayBuffer | null,
    readonly headers: Record<string, string>,
    readonly timings: Timings,
    readonly url: string,
    readonly request: RequestInfo,
    readonly error: string,
    readonly error_code: number,
  ) {}

  readonly proto = "HTTP/1.1";
  readonly cookies: Record<string, unknown[]> = {};

  /** The body parsed as JSON, or the value at `selector` (`a.b.0`); throws like k6 on a non-JSON body. */
  json(selector?: string): unknown {
    if (!this.parsed) {
      if (typeof this.body !== "string")
        throw new Error(
          `res.json(): the response to ${this.request.method} ${this.url} has no text body (status ${this.status}${this.error ? `, ${this.error}` : ""})`,
        );
      try {
        this.parsed = { value: JSON.parse(this.body) as unknown };
      } catch (error) {
        throw new Error(`res.json(): the body of ${this.request.method} ${this.url} (status ${this.status}) is not JSON: ${this.body.slice(0, 120)}`, {
          cause: error,
        });
      }
    }
    return selector === undefined ? this.parsed.value : select(this.parsed.value, selector);
  }
}
