import express from "express";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { outsideRequestBudget, remainingBudgetMs, requestBudget } from "./requestBudget.js";

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
      const body = (await (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)).json()) as { first: number; later: number; capped: number; compensation: number };
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
});
