import express, { type Request, type RequestHandler, type Response } from "express";
import { rateLimit } from "express-rate-limit";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fixedWindowLimit, partitionKeyOf, policyName } from "./rateLimit.js";

const LIMIT = 3;
const WINDOW_MS = 60_000;
const refuse = (_req: Request, res: Response) => void res.status(429).json({ refused: true });

/** The headers and statuses of `count` GETs through `limiter`, every request counted against "sub:alice". */
const answersThrough = async (limiter: RequestHandler, count: number) => {
  const app = express();
  app.use(limiter);
  app.get("/", (_req, res) => void res.json({ ok: true }));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  try {
    const answers = [];
    for (let i = 0; i < count; i++) {
      const answer = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      answers.push({
        status: answer.status,
        rateLimit: answer.headers.get("ratelimit"),
        policy: answer.headers.get("ratelimit-policy"),
        retryAfter: answer.headers.get("retry-after"),
      });
    }
    return answers;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
};

/** A response double that keeps its headers; `hit` runs one request through the limiter. */
const harness = (limiter: RequestHandler) => ({
  hit(): { passed: boolean; headers: Map<string, unknown> } {
    const headers = new Map<string, unknown>();
    let passed = false;
    const res = {
      headersSent: false,
      append: (name: string, value: string) => void headers.set(name.toLowerCase(), value),
      setHeader: (name: string, value: string) => void headers.set(name.toLowerCase(), value),
      status: () => res,
      json: () => res,
    };
    void limiter({ path: "/things" } as Request, res as unknown as Response, () => {
      passed = true;
    });
    return { passed, headers };
  },
});

afterEach(() => {
  vi.useRealTimers();
});

describe("fixedWindowLimit", () => {
  it("answers the statuses and headers express-rate-limit (draft-8, memory store) answered", async () => {
    const options = { limit: LIMIT, windowMs: WINDOW_MS, key: () => "sub:alice", skip: () => false, refuse };
    const ours = await answersThrough(fixedWindowLimit(options), LIMIT + 2);
    const theirs = await answersThrough(
      rateLimit({ windowMs: WINDOW_MS, limit: LIMIT, standardHeaders: "draft-8", legacyHeaders: false, keyGenerator: options.key, handler: refuse }),
      LIMIT + 2,
    );
    expect(ours).toEqual(theirs);
    expect(ours.map((answer) => answer.status)).toEqual([200, 200, 200, 429, 429]);
    expect(ours[0]).toMatchObject({
      rateLimit: '"3-in-1min"; r=2; t=60',
      policy: `"3-in-1min"; q=3; w=60; pk=:${partitionKeyOf("sub:alice")}:`,
      retryAfter: null,
    });
    expect(ours[3]?.retryAfter).toBe("60");
  });

  it("names its policy as express-rate-limit does", () => {
    expect([policyName(5, 30_000), policyName(600, 60_000), policyName(9, 3_600_000), policyName(2, 7_200_000), policyName(1, 86_400_000)]).toEqual([
      "5-in-30sec",
      "600-in-1min",
      "9-in-1hr",
      "2-in-2hrs",
      "1-in-1day",
    ]);
  });

  it("starts a key's window at its first request and a new one once it ended", () => {
    vi.useFakeTimers({ toFake: ["Date"], now: 1_000_000 });
    const limiter = harness(fixedWindowLimit({ limit: 2, windowMs: WINDOW_MS, key: () => "k", skip: () => false, refuse }));
    expect([limiter.hit().passed, limiter.hit().passed, limiter.hit().passed]).toEqual([true, true, false]);
    vi.setSystemTime(1_000_000 + WINDOW_MS - 1);
    expect(limiter.hit()).toMatchObject({
      passed: false,
      headers: new Map([
        ["ratelimit", '"2-in-1min"; r=0; t=1'],
        ["ratelimit-policy", expect.any(String)],
        ["retry-after", "1"],
      ]),
    });
    vi.setSystemTime(1_000_000 + WINDOW_MS);
    expect(limiter.hit().headers.get("ratelimit")).toBe('"2-in-1min"; r=1; t=60');
  });

  it("keeps a window that is still running across a turn of its generations, and counts each key apart", () => {
    vi.useFakeTimers({ toFake: ["Date"], now: 0 });
    let key = "a";
    const limiter = harness(fixedWindowLimit({ limit: 3, windowMs: WINDOW_MS, key: () => key, skip: () => false, refuse }));
    vi.setSystemTime(0.9 * WINDOW_MS);
    limiter.hit(); // a's window runs to 1.9 windows
    vi.setSystemTime(WINDOW_MS);
    key = "b";
    expect(limiter.hit().headers.get("ratelimit")).toBe('"3-in-1min"; r=2; t=60'); // the generations turn here
    vi.setSystemTime(1.5 * WINDOW_MS);
    key = "a";
    expect(limiter.hit().headers.get("ratelimit")).toBe('"3-in-1min"; r=1; t=24');
  });

  it("lets skipped requests through uncounted and without headers", () => {
    const limiter = harness(fixedWindowLimit({ limit: 1, windowMs: WINDOW_MS, key: () => "k", skip: (req) => req.path === "/things", refuse }));
    const answers = [limiter.hit(), limiter.hit()];
    expect(answers.map((answer) => answer.passed)).toEqual([true, true]);
    expect(answers.map((answer) => answer.headers.size)).toEqual([0, 0]);
  });
});
