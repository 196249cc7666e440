import type { ConsumerInfo } from "@nats-io/jetstream";
import { describe, expect, it } from "vitest";
import { consumerStateOf, deadLettersOf } from "./pipelineState.js";

describe("pipeline state", () => {
  it("reads a consumer's lag from JetStream's accounting", () => {
    const info = {
      name: "ns1-catalog-product-search",
      num_pending: 12,
      num_ack_pending: 3,
      num_redelivered: 1,
      delivered: { last_active: "2026-11-30T10:00:00.123456789Z" },
    } as unknown as ConsumerInfo;
    expect(consumerStateOf("catalog", info)).toEqual({
      context: "catalog",
      consumer: "ns1-catalog-product-search",
      pending: 12,
      ackPending: 3,
      redelivered: 1,
      lastActive: "2026-11-30T10:00:00.123Z",
    });
    const idle = { name: "ns1-ordering-product-replica", num_pending: 0, num_ack_pending: 0, num_redelivered: 0, delivered: {} } as unknown as ConsumerInfo;
    expect(consumerStateOf("catalog", idle)).not.toHaveProperty("lastActive");
  });

  it("counts dead letters by consumer, only for the consumers asked about", () => {
    const subjects = { "deadletter.ns1-catalog-product-search": 2, "deadletter.ns2-catalog-product-search": 5, "deadletter.ns1-inventory-order-stock": 1 };
    expect(deadLettersOf(subjects, new Set(["ns1-catalog-product-search", "ns1-inventory-order-stock", "ns1-ordering-order-view"]))).toEqual([
      { consumer: "ns1-catalog-product-search", count: 2 },
      { consumer: "ns1-inventory-order-stock", count: 1 },
    ]);
  });
});
