import express from "express";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { TimeoutError } from "@bazaar/core";
import { outsideRequestBudget, remainingBudgetMs, requestBudget, withinRequestBudget } from "./requestBudget.js";

describe("requestBudget", () => {
  it("gives each request one budget that its later work sees shrinking; outside a request, the cap", async () => {
    const app = express();
    app.use(requestBudget(1_000));
    app.get("/", async (_req, res) => {
      const first = remainingBudgetMs(5_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      // A compensation started by this request is not bound by its budget.
      const compensation = await outsideRequestBudget(async () => remainingBudgetMs(5_000));
      res.json({ first, later: remainingBudgetMs(5_000), capped: remainingBudgetMs(10), compensation });
    });
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const body = (await (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)).json()) as {
        first: number;
        later: number;
        capped: number;
        compensation: number;
      };
      expect(body.first).toBeLessThanOrEqual(1_000);
      expect(body.first).toBeGreaterThan(900);
      expect(body.later).toBeLessThanOrEqual(body.first - 45);
      expect(body.capped).toBe(10);
      expect(body.compensation).toBe(5_000);
    } finally {
      server.close();
    }
    expect(remainingBudgetMs(5_000)).toBe(5_000);
  });

  it("answers a timeout once the budget is spent while the work goes on, and reports how late work ended", async () => {
    const app = express();
    app.use(requestBudget(200));
    const lateErrors: unknown[] = [];
    let finishedLate = false;
    app.get("/:work", async (req, res) => {
      const work =
        req.params.work === "quick"
          ? Promise.resolve("done")
          : new Promise<string>((_, reject) => setTimeout(() => ((finishedLate = true), reject(new Error("compensated late"))), 400));
      const started = Date.now();
      try {
        res.json({ value: await withinRequestBudget(work, "the saga", (error) => lateErrors.push(error)), ms: Date.now() - started });
      } catch (error) {
        res.status(504).json({ timeout: error instanceof TimeoutError, message: (error as Error).message, ms: Date.now() - started });
      }
    });
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(await (await fetch(`${base}/quick`)).json()).toMatchObject({ value: "done" });
      const slow = await fetch(`${base}/slow`);
      const body = (await slow.json()) as { timeout: boolean; message: string; ms: number };
      expect(slow.status).toBe(504);
      expect(body).toMatchObject({ timeout: true, message: "the saga did not end within the request budget; it goes on" });
      expect(body.ms).toBeLessThan(350);
      expect(finishedLate).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(finishedLate).toBe(true);
      expect(lateErrors.map((e) => (e as Error).message)).toEqual(["compensated late"]);
    } finally {
      server.close();
    }
    // Outside a request there is no budget: the work is awaited.
    expect(await withinRequestBudget(new Promise((resolve) => setTimeout(() => resolve("slow but whole"), 50)), "x", () => {})).toBe("slow but whole");
  });
});
