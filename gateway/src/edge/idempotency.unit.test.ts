import { createLogger } from "@bazaar/runtime";
import express from "express";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { idempotency } from "./idempotency.js";
import type { IdempotencyStore } from "./idempotencyStore.js";

/** A store that grants every key and then hangs, as a stopped Cassandra does. */
const hangingStore = (): IdempotencyStore & { settles: number } => {
  const store = {
    settles: 0,
    claim: async () => ({ acquired: true as const }),
    takeOver: async () => false,
    complete: () => {
      store.settles += 1;
      return new Promise<boolean>(() => {});
    },
    release: () => {
      store.settles += 1;
      return new Promise<void>(() => {});
    },
  };
  return store;
};

const serve = async (store: IdempotencyStore, settleWithinMs: () => number) => {
  const app = express();
  app.use(express.json());
  app.use((_req, res, next) => {
    res.locals.principal = { subject: "alice", scopes: [] };
    next();
  });
  app.use(idempotency({ store, logger: createLogger("idempotency-unit", {}), settleWithinMs }));
  app.post("/v1/down", (_req, res) => void res.status(503).json({ title: "down" }));
  app.post("/v1/ok", (_req, res) => void res.status(201).json({ ok: true }));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
};

describe("idempotency when its store hangs", () => {
  it.each(["/v1/down", "/v1/ok"])("answers %s once the request's budget is spent, without waiting for the outcome to be stored", async (path) => {
    const store = hangingStore();
    const { base, close } = await serve(store, () => 200);
    try {
      const started = performance.now();
      const res = await fetch(`${base}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": "k-1" },
        body: "{}",
        signal: AbortSignal.timeout(5_000),
      });
      expect(res.status).toBe(path === "/v1/down" ? 503 : 201);
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(store.settles).toBe(1);
    } finally {
      close();
    }
  });
});
