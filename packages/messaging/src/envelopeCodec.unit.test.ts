import type { EventEnvelope } from "@bazaar/core";
import { headers } from "@nats-io/transport-node";
import { describe, expect, it } from "vitest";
import { decodeEnvelope, encodeEnvelope, MalformedEventError } from "./envelopeCodec.js";

const envelope: EventEnvelope = {
  eventId: "7d1c3c2e-5b7a-4a7e-8d2f-0c2b9f1e6a11",
  type: "catalog.ProductCreated.v1",
  streamId: "product-1",
  version: 3,
  recordedAt: new Date("2026-11-26T10:00:00.000Z"),
  data: { name: "Blue mug", price: { amount: 1299, currency: "EUR" } },
  metadata: { causationId: "c-1", correlationId: "r-1", actor: "alice", traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
};

describe("envelope codec", () => {
  it("round-trips every envelope field through headers and body", () => {
    const encoded = encodeEnvelope(envelope);
    expect(decodeEnvelope(encoded.headers, encoded.payload)).toEqual(envelope);
  });

  it("leaves traceparent out when there is none", () => {
    const withoutTrace = { ...envelope, metadata: { ...envelope.metadata, traceparent: undefined } };
    const encoded = encodeEnvelope(withoutTrace);
    expect(encoded.headers.has("traceparent")).toBe(false);
    expect(decodeEnvelope(encoded.headers, encoded.payload)).toEqual(withoutTrace);
  });

  it("rejects a message without the envelope headers", () => {
    expect(() => decodeEnvelope(headers(), new TextEncoder().encode("{}"))).toThrow(MalformedEventError);
  });

  it("rejects a non-JSON body", () => {
    const encoded = encodeEnvelope(envelope);
    expect(() => decodeEnvelope(encoded.headers, new TextEncoder().encode("not json"))).toThrow(/not JSON/);
  });

  it("rejects a version that is not a positive integer", () => {
    const encoded = encodeEnvelope(envelope);
    encoded.headers.set("Bazaar-Stream-Version", "0");
    expect(() => decodeEnvelope(encoded.headers, encoded.payload)).toThrow(/Stream-Version/);
  });
});
