import express from "express";
import { get } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { weakETag } from "./weakETag.js";

const BODIES = ["", '{"status":"ok"}', JSON.stringify({ name: "Grüne Tasse — 緑のマグ", note: "x".repeat(5000) })];

/** An app answering `GET /<i>` with BODIES[i] as JSON text; `etag`: express's setting (its own weak ETag unless given). */
const serve = async (etag?: typeof weakETag) => {
  const app = express();
  if (etag) app.set("etag", etag);
  app.get("/:i", (req, res) => void res.type("json").send(BODIES[Number(req.params.i)]));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(resolve)) };
};

/** Status and body of a GET through node:http (fetch adds `cache-control: no-cache` to a conditional request, which never answers 304). */
const conditionalGet = (url: string, ifNoneMatch: string) =>
  new Promise<[number, string]>((resolve, reject) => {
    get(url, { headers: { "if-none-match": ifNoneMatch } }, (answer) => {
      let body = "";
      answer.setEncoding("utf8");
      answer.on("data", (chunk: string) => (body += chunk));
      answer.on("end", () => resolve([answer.statusCode ?? 0, body]));
    }).on("error", reject);
  });

describe("weakETag", () => {
  it("answers the ETag express's own weak ETag answers, for every body", async () => {
    const [ours, express] = [await serve(weakETag), await serve()];
    try {
      for (const i of BODIES.keys()) {
        const [mine, theirs] = await Promise.all([fetch(`${ours.base}/${i}`), fetch(`${express.base}/${i}`)]);
        expect(mine.headers.get("etag")).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
        expect(mine.headers.get("etag")).toBe(theirs.headers.get("etag"));
      }
    } finally {
      await Promise.all([ours.close(), express.close()]);
    }
  });

  it("keeps conditional GETs: the same ETag back in If-None-Match is 304, another is 200 with the body", async () => {
    const ours = await serve(weakETag);
    try {
      const first = await fetch(`${ours.base}/1`);
      const etag = first.headers.get("etag")!;
      expect(await conditionalGet(`${ours.base}/1`, etag)).toEqual([304, ""]);
      expect(await conditionalGet(`${ours.base}/1`, 'W/"f-other"')).toEqual([200, BODIES[1]]);
    } finally {
      await ours.close();
    }
  });

  it("measures a string body in bytes, not characters", () => {
    expect(weakETag("é")).toBe(weakETag(Buffer.from("é")));
    expect(weakETag("é")).toMatch(/^W\/"2-/);
  });
});
