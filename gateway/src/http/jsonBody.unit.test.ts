import { createLogger } from "@bazaar/runtime";
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import { connect, type AddressInfo } from "node:net";
import type { Server } from "node:http";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { expressJsonParser, jsonBodyParser } from "./jsonBody.js";
import { problemHandler } from "./problem.js";

const LIMIT = "1kb";

interface Served {
  server: Server;
  port: number;
  /** The type of every error the parser handed on (to the problem handler), in order. */
  errors: string[];
}

/** An app answering every request with what the parser made of its body; errors as the gateway answers them. */
const serve = async (parser: RequestHandler): Promise<Served> => {
  const errors: string[] = [];
  const app = express();
  app.use(parser);
  app.use((req, res) => void res.json({ body: req.body as unknown }));
  const recordError: ErrorRequestHandler = (error: { type?: string }, _req, _res, next) => {
    errors.push(error.type ?? "untyped");
    next(error);
  };
  app.use(recordError, problemHandler(createLogger("json-body-test")));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return { server, port: (server.address() as AddressInfo).port, errors };
};

/**
 * One exchange on its own connection, bytes as given (in writes of `piece` bytes a few ms apart, so
 * the body arrives in several chunks): the whole answer as text, its Date header dropped (the one
 * line that differs by the clock). The client never half-closes (node's server would drop a request
 * still being read); the server closes after its answer (`connection: close`).
 */
const exchange = (port: number, request: Buffer, piece = request.length) =>
  new Promise<string>((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const received: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    socket.on("end", () =>
      resolve(
        Buffer.concat(received)
          .toString("utf8")
          .replace(/^Date: .*\r\n/m, ""),
      ),
    );
    socket.on("error", reject);
    const write = (from: number) => {
      socket.write(request.subarray(from, from + piece));
      if (from + piece < request.length) setTimeout(() => write(from + piece), 5);
    };
    write(0);
  });

/** A request as bytes: `headers` as given (Content-Length set from the body unless one is given or null). */
const request = (method: string, body: Buffer | string | null, headers: Record<string, string | null> = {}) => {
  const payload = body === null ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body);
  const all: Record<string, string | null> = {
    host: "gateway",
    connection: "close",
    ...(body === null ? {} : { "content-length": String(payload.length) }),
    ...headers,
  };
  const head = Object.entries(all)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  return Buffer.concat([Buffer.from(`${method} /things HTTP/1.1\r\n${head}\r\n`), payload]);
};

const json = { "content-type": "application/json" };
const chunked = (...parts: string[]) => parts.map((part) => `${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`).join("") + "0\r\n\r\n";
const invalidUtf8 = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xc3]), Buffer.from('"}')]);

/**
 * Each case: the request, whether the direct reader takes it (true) or hands it to express.json, and
 * the size of the writes it is sent in (all at once unless given).
 */
const corpus: Record<string, [Buffer, boolean, number?]> = {
  "an object": [request("POST", '{"sku":"SKU-1","price":{"amount":1299,"currency":"EUR"}}', json), true],
  "an object with charset=utf-8": [request("POST", '{"a":1}', { "content-type": "application/json; charset=utf-8" }), true],
  "an object with charset=UTF-8, no space": [request("POST", '{"a":1}', { "content-type": "Application/JSON;charset=UTF-8" }), true],
  "an array": [request("POST", "[1,2,3]", json), true],
  "an object after whitespace": [request("POST", ' \n\t {"a":[true,null]}', json), true],
  "multi-byte text": [request("POST", '{"name":"Grüne Tasse — 緑のマグ 🍵"}', json), true],
  "a body of 1000 bytes in several writes": [request("POST", JSON.stringify({ note: "x".repeat(988) }), json), true, 300],
  "multi-byte characters and a BOM split across writes": [request("POST", '\uFEFF{"name":"緑のマグ🍵"}', json), true, 56],
  "a leading BOM": [request("POST", '\uFEFF{"a":1}', json), true],
  "a BOM alone": [request("POST", "\uFEFF", json), true],
  "an empty body": [request("POST", "", json), true],
  "whitespace alone": [request("POST", "  \n ", json), true],
  "a string at the top": [request("POST", '"hello"', json), true],
  "a number at the top": [request("POST", "42", json), true],
  "true at the top": [request("POST", "true", json), true],
  "null after whitespace": [request("POST", "  null", json), true],
  "a long string at the top": [request("POST", JSON.stringify("y".repeat(300)), json), true],
  "text with '#' at the top": [request("POST", "1#2 ##x", json), true],
  "malformed JSON": [request("POST", "{ not json", json), true],
  "a trailing comma": [request("POST", '{"a":1,}', json), true],
  "truncated JSON": [request("POST", '{"a":', json), true],
  "two values": [request("POST", "{}{}", json), true],
  "invalid UTF-8 in a string": [request("POST", invalidUtf8, json), true],
  "invalid UTF-8 before the object": [request("POST", Buffer.concat([Buffer.from([0xef, 0xbb]), Buffer.from("{}")]), json), true],
  "application/merge-patch+json": [request("PATCH", '{"name":"Navy"}', { "content-type": "application/merge-patch+json" }), true],
  "application/vnd.api+json, malformed": [request("POST", "{x}", { "content-type": "application/vnd.api+json" }), true],
  "Content-Encoding: identity": [request("POST", '{"a":1}', { ...json, "content-encoding": "Identity" }), true],
  "a DELETE with a body": [request("DELETE", '{"reason":"x"}', json), true],
  "a body longer than its Content-Length": [request("POST", '{"a":1}', { ...json, "content-length": "5" }), true],
  "exactly the limit": [request("POST", JSON.stringify({ x: "z".repeat(1016) }), json), true],
  "over the limit by Content-Length": [request("POST", JSON.stringify({ x: "z".repeat(1017) }), json), false],
  "a GET without a body": [request("GET", null), false],
  "no Content-Type": [request("POST", '{"a":1}'), false],
  "text/plain": [request("POST", '{"a":1}', { "content-type": "text/plain" }), false],
  "a Content-Type with no subtype": [request("POST", '{"a":1}', { "content-type": "application/" }), false],
  "charset=utf-16": [request("POST", '{"a":1}', { "content-type": "application/json; charset=utf-16" }), false],
  "charset=latin1": [request("POST", '{"a":1}', { "content-type": "application/json; charset=latin1" }), false],
  "charset=utf8": [request("POST", '{"a":1}', { "content-type": "application/json; charset=utf8" }), false],
  'charset="utf-8", quoted': [request("POST", '{"a":1}', { "content-type": 'application/json; charset="utf-8"' }), false],
  "another parameter": [request("POST", '{"a":1}', { "content-type": "application/json; profile=x" }), false],
  gzip: [request("POST", gzipSync('{"a":1}'), { ...json, "content-encoding": "gzip" }), false],
  "gzip that is not gzip": [request("POST", '{"a":1}', { ...json, "content-encoding": "gzip" }), false],
  "an unknown content coding": [request("POST", '{"a":1}', { ...json, "content-encoding": "compress" }), false],
  chunked: [request("POST", chunked('{"a":', "[1,2]}"), { ...json, "content-length": null, "transfer-encoding": "chunked" }), false],
  "chunked, malformed": [request("POST", chunked("{x"), { ...json, "content-length": null, "transfer-encoding": "chunked" }), false],
  "chunked, over the limit": [
    request("POST", chunked("[", "1,".repeat(600), "1]"), { ...json, "content-length": null, "transfer-encoding": "chunked" }),
    false,
  ],
};

let before: Served;
let after: Served;
let handedOn = 0;
beforeAll(async () => {
  const fallback = expressJsonParser(LIMIT);
  const counted: RequestHandler = (req, res, next) => {
    handedOn += 1;
    fallback(req, res, next);
  };
  [before, after] = await Promise.all([serve(expressJsonParser(LIMIT)), serve(jsonBodyParser(LIMIT, counted))]);
});
afterAll(async () => {
  await Promise.all([before, after].map(({ server }) => new Promise((resolve) => server.close(resolve))));
});
beforeEach(() => {
  handedOn = 0;
  before.errors.length = 0;
  after.errors.length = 0;
});

describe("the JSON body reader", () => {
  it.each(Object.entries(corpus))("answers %s exactly as express.json does", async (_label, [bytes, direct, piece]) => {
    const [theirs, ours] = await Promise.all([exchange(before.port, bytes, piece), exchange(after.port, bytes, piece)]);
    expect(theirs).toMatch(/^HTTP\/1\.1 \d{3} /);
    expect(ours).toBe(theirs);
    expect(after.errors).toEqual(before.errors);
    expect(handedOn).toBe(direct ? 0 : 1);
  });

  it("reads the common cases itself and answers them as express.json does (a spot check of the answers)", async () => {
    const answer = await exchange(after.port, corpus["an object"]![0]);
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain('{"body":{"sku":"SKU-1","price":{"amount":1299,"currency":"EUR"}}}');
    const malformed = await exchange(after.port, corpus["a string at the top"]![0]);
    expect(malformed).toMatch(/^HTTP\/1\.1 400 /);
    expect(malformed).toContain(
      '"type":"/problems/entity.parse.failed","title":"Malformed JSON","status":400,"detail":"Unexpected token \'\\"\', \\"\\"hello\\"\\" is not valid JSON"',
    );
    expect(handedOn).toBe(0);
  });

  it("survives a client gone mid-body: a 400 request.aborted handed on, no crash, no unhandled rejection, and it serves on", async () => {
    const failures: unknown[] = [];
    const record = (error: unknown) => failures.push(error);
    process.on("unhandledRejection", record);
    process.on("uncaughtException", record);
    try {
      for (const served of [before, after]) {
        const socket = connect(served.port, "127.0.0.1");
        await new Promise((resolve) => socket.once("connect", resolve));
        socket.write(request("POST", `{"a":"${"x".repeat(90)}"}`, json).subarray(0, -60));
        await new Promise((resolve) => setTimeout(resolve, 50));
        socket.destroy();
        await expect.poll(() => served.errors).toEqual(["request.aborted"]);
        expect(await exchange(served.port, corpus["an object"]![0])).toMatch(/^HTTP\/1\.1 200 /);
      }
      expect(failures).toEqual([]);
      expect(handedOn).toBe(0);
    } finally {
      process.off("unhandledRejection", record);
      process.off("uncaughtException", record);
    }
  });
});
