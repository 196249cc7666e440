/** A k6 request body as bytes: strings as UTF-8, objects form-encoded (like k6), binary as is. */
export interface EncodedBody {
  readonly bytes: Uint8Array | undefined;
  /** The Content-Type k6 would add when the script did not set one. */
  readonly defaultContentType: string | undefined;
  /** The body as the Response's `request.body` shows it. */
  readonly text: string;
}

export const encodeRequestBody = (body: unknown): EncodedBody => {
  if (body === undefined || body === null) return { bytes: undefined, defaultContentType: undefined, text: "" };
  if (typeof body === "string") return { bytes: Buffer.from(body, "utf8"), defaultContentType: undefined, text: body };
  if (body instanceof ArrayBuffer) return { bytes: new Uint8Array(body), defaultContentType: undefined, text: "" };
  if (ArrayBuffer.isView(body)) return { bytes: new Uint8Array(body.buffer, body.byteOffset, body.byteLength), defaultContentType: undefined, text: "" };
  if (typeof body === "object") {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      for (const item of Array.isArray(value) ? value : [value]) form.append(key, typeof item === "object" ? JSON.stringify(item) : String(item));
    }
    const text = form.toString();
    return { bytes: Buffer.from(text, "utf8"), defaultContentType: "application/x-www-form-urlencoded", text };
  }
  const text = typeof body === "number" || typeof body === "boolean" || typeof body === "bigint" ? String(body) : "";
  return { bytes: Buffer.from(text, "utf8"), defaultContentType: undefined, text };
};
