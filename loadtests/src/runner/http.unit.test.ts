import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScript, startEchoServer, type EchoServer } from "./testing/testKit.js";

let server: EchoServer;
beforeAll(async () => {
  server = await startEchoServer();
});
afterAll(async () => {
  await server.close();
});

/** Runs `body` once (one VU, one short scenario's first iteration) and returns what it recorded via a Counter's tags. */
const once = (body: string, extra = "") => `
import http from "k6/http";
import { check } from "k6";
import { Counter } from "k6/metrics";
const seen = new Counter("seen");
${extra}
export const options = { scenarios: { s: { executor: "constant-arrival-rate", rate: 1, duration: "1s", preAllocatedVUs: 1 } } };
export default async function () {
  const note = (key, value) => seen.add(1, { key, value: typeof value === "string" ? value : JSON.stringify(value) });
  ${body}
}
`;

const notes = (run: Awaited<ReturnType<typeof runScript>>): Record<string, string> =>
  Object.fromEntries(
    run.lines.filter((line) => line.metric === "seen" && line.type === "Point").map((line) => [line.data.tags?.key ?? "", line.data.tags?.value ?? ""]),
  );

describe("k6/http", () => {
  it("sends method, body and headers; the Response has status, body, json(), canonical headers and timings", { timeout: 10_000 }, async () => {
    const run = await runScript(
      once(`
  const res = await http.post(__ENV.BASE + "/orders?x=1", JSON.stringify({ a: 1 }), { headers: { "content-type": "application/json", authorization: "Bearer t" }, tags: { name: "POST /orders", mode: "async" } });
  note("status", res.status);
  note("method", res.json("method"));
  note("sentBody", res.json("body"));
  note("auth", res.json("headers.authorization"));
  note("header", res.headers["X-Echo-Method"]);
  note("timed", res.timings.duration > 0 && res.timings.waiting > 0 && res.timings.duration >= res.timings.waiting);
  const form = await http.put(__ENV.BASE + "/form", { a: "1", b: "x y" });
  note("form", form.json("body"));
  note("formType", form.json("headers.content-type"));
`),
      { env: { BASE: server.url } },
    );
    expect(run.exitCode).toBe(0);
    expect(notes(run)).toEqual({
      status: "200",
      method: "POST",
      sentBody: '{"a":1}',
      auth: "Bearer t",
      header: "POST",
      timed: "true",
      form: "a=1&b=x+y",
      formType: "application/x-www-form-urlencoded",
    });
    const reqs = run.lines.filter((line) => line.metric === "http_reqs" && line.type === "Point");
    expect(reqs[0]?.data.tags).toMatchObject({
      method: "POST",
      status: "200",
      name: "POST /orders",
      mode: "async",
      scenario: "s",
      group: "",
      expected_response: "true",
    });
    expect(reqs[1]?.data.tags?.name).toBe(`${server.url}/form`);
    for (const metric of ["http_req_duration", "http_req_waiting", "http_req_failed", "data_sent", "data_received"])
      expect(run.summary?.metrics[metric]).toBeDefined();
  });

  it("network errors give status 0 with error and error_code; http_req_failed follows expectedStatuses", { timeout: 10_000 }, async () => {
    const run = await runScript(
      once(`
  const refused = await http.get("http://127.0.0.1:1/nothing");
  note("refusedStatus", refused.status);
  note("refusedCode", refused.error_code);
  note("refusedError", refused.error !== "");
  await http.get(__ENV.BASE + "/missing?status=404", { tags: { name: "404 default" } });
  await http.get(__ENV.BASE + "/missing?status=404", { tags: { name: "404 expected" }, responseCallback: http.expectedStatuses(200, 404) });
  const slow = await http.get(__ENV.BASE + "/slow?delay=2000", { timeout: "100ms" });
  note("timeoutCode", slow.error_code);
`),
      { env: { BASE: server.url } },
    );
    expect(run.exitCode).toBe(0);
    expect(notes(run)).toMatchObject({ refusedStatus: "0", refusedCode: "1212", refusedError: "true", timeoutCode: "1050" });
    const failed = run.lines.filter((line) => line.metric === "http_req_failed" && line.type === "Point");
    expect(failed.map((line) => [line.data.tags?.name, line.data.value])).toEqual([
      ["http://127.0.0.1:1/nothing", 1],
      ["404 default", 1],
      ["404 expected", 0],
      [`${server.url}/slow?delay=2000`, 1],
    ]);
    expect(failed[0]?.data.tags?.status).toBe("0");
  });

  it("reading a Response field on the un-awaited Promise throws a message saying to await", { timeout: 10_000 }, async () => {
    const run = await runScript(
      once(`
  const res = http.get(__ENV.BASE + "/x");
  try { note("status", res.status); } catch (error) { note("error", error.message); }
  try { res.json(); } catch (error) { note("jsonError", error.message); }
  note("awaited", (await res).status);
`),
      { env: { BASE: server.url } },
    );
    const seen = notes(run);
    expect(seen.status).toBeUndefined();
    expect(seen.error).toMatch(/^await http\.get\(\): this runner's k6\/http calls return Promises/);
    expect(seen.jsonError).toMatch(/^await http\.get\(\)/);
    expect(seen.awaited).toBe("200");
  });

  it("refuses requests in the init context", { timeout: 10_000 }, async () => {
    const run = await runScript(once("", `await http.get("http://127.0.0.1:1/");`));
    expect(run.exitCode).toBe(107);
    expect(run.stderr).toMatch(/http requests are not allowed in the init context/);
  });
});
