import bytes from "bytes";
import express, { type Request, type RequestHandler } from "express";

/**
 * A body that could not be read or parsed, shaped as express.json's errors are (`status`, `type`,
 * `message`): `problemHandler` maps both alike, so a malformed body answers the same problem
 * whichever reader met it.
 */
export class JsonBodyError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = "JsonBodyError";
  }
}

/**
 * What the direct reader takes: `application/json` or `application/<subtype>+json`, bare or with
 * `charset=utf-8` alone. Every other Content-Type (another charset, a quoted one, more parameters,
 * another type) goes to express.json, which answers it as it always did.
 */
const COMMON_JSON_TYPE = /^application\/(?:json|[a-z0-9][a-z0-9.-]*\+json)(?:[ \t]*;[ \t]*charset=utf-8)?$/i;

const isWhitespace = (code: number) => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;

/**
 * express.json's message for a body whose first character (after JSON whitespace) opens neither an
 * object nor an array: JSON.parse's own words about that character, got by parsing the body with
 * everything from it on masked, then unmasking the quoted text. A body of whitespace alone is
 * "Unexpected end of JSON input".
 */
const notObjectOrArrayMessage = (text: string, first: number): string => {
  const masked = first === text.length ? "" : text.slice(0, first) + "#".repeat(text.length - first);
  let message = "";
  try {
    JSON.parse(masked); // whitespace followed by '#'s, or nothing: never JSON
  } catch (error) {
    message = (error as SyntaxError).message;
  }
  return message.replace(/#+/g, (mask) => text.slice(first, first + mask.length));
};

/** The body as express.json (strict) parses it: a leading BOM dropped, empty → {}, only an object or array at the top. */
const parseStrict = (raw: string): unknown => {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (text.length === 0) return {};
  let first = 0;
  while (first < text.length && isWhitespace(text.charCodeAt(first))) first += 1;
  if (text[first] !== "{" && text[first] !== "[") throw new JsonBodyError(400, "entity.parse.failed", notObjectOrArrayMessage(text, first));
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new JsonBodyError(400, "entity.parse.failed", (error as SyntaxError).message);
  }
};

/** The JSON parser the gateway had alone before the direct reader: express.json, strict, at most `limit`. */
export const expressJsonParser = (limit: string): RequestHandler => express.json({ limit, strict: true, type: ["application/json", "application/*+json"] });

/**
 * Whether the direct reader takes the request; it hands to express.json one whose stream is over or
 * whose socket stopped reading (express.json skips those), a content coding, a chunked body, no or
 * an over-limit Content-Length (its 413), any other Content-Type.
 */
const readsDirectly = (req: Request, limit: number): boolean => {
  const { headers } = req;
  if (!req.readable || !req.socket.readable || headers["transfer-encoding"] !== undefined) return false;
  const coding = headers["content-encoding"];
  if (coding !== undefined && coding.toLowerCase() !== "identity") return false;
  const declared = headers["content-length"];
  if (declared === undefined || !/^\d+$/.test(declared) || Number(declared) > limit) return false;
  const type = headers["content-type"];
  return type !== undefined && COMMON_JSON_TYPE.test(type);
};

/**
 * The gateway's JSON body parser: express.json (strict, `application/json` and `application/*+json`,
 * at most `limit` in express's bytes syntax) with a direct path for the common request — a
 * Content-Length within the limit, no content coding, JSON in UTF-8 — read into one buffer and
 * parsed with JSON.parse, without express.json's per-request type, charset and stream machinery
 * (≈ 4–5 % of the gateway's CPU per create, docs/benchmarks.md §5i). Every other request goes to
 * express.json. Both answer alike: the same `req.body`, the same errors (jsonBody.unit.test.ts
 * runs one corpus through both). `fallback`: what takes every other request (tests count what reaches it).
 */
export const jsonBodyParser = (limit: string, fallback: RequestHandler = expressJsonParser(limit)): RequestHandler => {
  const maxBytes = bytes.parse(limit);
  if (maxBytes === null) throw new Error(`the JSON body limit "${limit}" is not a size (e.g. "64kb")`);
  return (req, res, next) => {
    if (!readsDirectly(req, maxBytes)) return fallback(req, res, next);
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => void chunks.push(chunk);
    const stop = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onAbort);
    };
    // node's parser ends a message with a Content-Length only once it has exactly that many bytes;
    // a client gone before then is an error ('aborted', ECONNRESET) here, a 400 as in express.json.
    const onAbort = () => {
      stop();
      next(new JsonBodyError(400, "request.aborted", "request aborted"));
    };
    function onEnd() {
      stop();
      try {
        req.body = parseStrict((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString("utf8"));
      } catch (error) {
        return next(error);
      }
      next();
    }
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onAbort);
  };
};
