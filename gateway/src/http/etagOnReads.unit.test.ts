import express from "express";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { etagOnReadsOnly } from "./etagOnReads.js";
import { weakETag } from "./weakETag.js";

const BODY = { id: "p-1", name: "Blue mug", version: 3 };
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

let base: string;
let close: () => Promise<unknown>;
let hashed = 0;
/** The gateway's settings: its weak ETag (counted), the middleware first; every method answers the same JSON. */
beforeAll(async () => {
  const app = express();
  app.set("etag", (body: Buffer | string) => {
    hashed += 1;
    return weakETag(body);
  });
  app.use(etagOnReadsOnly(app));
  // Set after the middleware was made: commands' answers must still see it (the view inherits).
  app.set("json spaces", 1);
  app.all("/thing", (_req, res) => void res.json(BODY));
  app.post("/created", (_req, res) => void res.status(201).json(BODY));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(resolve));
});
afterAll(() => close());

/** Status, ETag and body of one request through node:http (fetch adds `cache-control: no-cache` to a conditional GET). */
const call = (method: string, path: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; etag: string | undefined; body: string }>((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers }, (answer) => {
      let body = "";
      answer.setEncoding("utf8");
      answer.on("data", (chunk: string) => (body += chunk));
      answer.on("end", () => resolve({ status: answer.statusCode ?? 0, etag: answer.headers.etag, body }));
    });
    req.on("error", reject);
    req.end();
  });

describe("etagOnReadsOnly", () => {
  it("gives GET and HEAD the app's ETag, and no other method one (nor its hash)", async () => {
    const expected = weakETag(JSON.stringify(BODY, null, 1));
    for (const method of METHODS) {
      hashed = 0;
      const answer = await call(method, "/thing");
      expect(answer.status, method).toBe(200);
      const read = method === "GET" || method === "HEAD";
      expect(answer.etag, method).toBe(read ? expected : undefined);
      expect(hashed, method).toBe(read ? 1 : 0);
      // Every other setting of the app reaches every answer, one set after the middleware too.
      if (method !== "HEAD") expect(answer.body, method).toBe(JSON.stringify(BODY, null, 1));
    }
    expect((await call("POST", "/created")).etag).toBeUndefined();
  });

  it("keeps conditional GETs: the ETag back in If-None-Match is 304, another is 200; a POST with it is answered in full", async () => {
    const { etag } = await call("GET", "/thing");
    expect(await call("GET", "/thing", { "if-none-match": etag! })).toMatchObject({ status: 304, body: "" });
    expect(await call("GET", "/thing", { "if-none-match": 'W/"5-other"' })).toMatchObject({ status: 200, etag });
    expect(await call("POST", "/thing", { "if-none-match": etag! })).toEqual({ status: 200, etag: undefined, body: JSON.stringify(BODY, null, 1) });
  });
});
