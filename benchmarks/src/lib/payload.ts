import { randomUUID } from "node:crypto";
import type { EventEnvelope, EventMetadata, NewEvent } from "@bazaar/core";

export const EVENT_TYPE = "bench.ProductRevised.v1";
export const PAYLOAD_BYTES = 300;

export interface RevisedData {
  sku: string;
  name: string;
  category: string;
  price: { amount: number; currency: string };
  description: string;
}

/** Event data whose JSON is exactly PAYLOAD_BYTES long (the ~300 B product event of the brief). */
export const revisedData = (seq: number): RevisedData => {
  const base: RevisedData = {
    sku: `SKU-${seq}`,
    name: `Benchmark product ${seq}`,
    category: "kitchen",
    price: { amount: 1000 + (seq % 9000), currency: "EUR" },
    description: "",
  };
  const pad = PAYLOAD_BYTES - JSON.stringify(base).length;
  return { ...base, description: "lorem ipsum dolor sit amet ".repeat(20).slice(0, Math.max(0, pad)) };
};

export const METADATA: EventMetadata = { causationId: "bench-cause", correlationId: "bench-corr", actor: "bench" };

export const newEvent = (seq: number): NewEvent => ({
  eventId: randomUUID(),
  type: EVENT_TYPE,
  data: revisedData(seq),
  recordedAt: new Date(),
  metadata: METADATA,
});

export const envelope = (streamId: string, version: number, seq: number): EventEnvelope => ({ ...newEvent(seq), streamId, version });
