import { describe, expect, it } from "vitest";
import { loadGatewayConfig } from "./config.js";

describe("gateway config", () => {
  it("derives the idempotency lease from the request budget unless it is set", () => {
    expect(loadGatewayConfig({}).idempotencyLeaseMs).toBe(10_000);
    expect(loadGatewayConfig({ REQUEST_BUDGET_MS: "1500" }).idempotencyLeaseMs).toBe(3_000);
    expect(loadGatewayConfig({ REQUEST_BUDGET_MS: "1500", IDEMPOTENCY_LEASE_MS: "60000" }).idempotencyLeaseMs).toBe(60_000);
  });
});
