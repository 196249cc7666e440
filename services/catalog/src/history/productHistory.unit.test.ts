import { NotFoundError, ValidationError } from "@bazaar/core";
import { createMemoryEventStore } from "@bazaar/event-store";
import { describe, expect, it } from "vitest";
import { productStreamId } from "../domain/productStream.js";
import { createProductHistory } from "./productHistory.js";

const productId = "0f8a5b0e-1c1d-4e55-9a57-3a1c2b3d4e5f";
const at = (iso: string) => new Date(iso);
const metadata = { correlationId: "c", causationId: "c", actor: "ada" };

const seeded = async () => {
  const store = createMemoryEventStore();
  const price = { amount: 1299, currency: "EUR" };
  await store.append(productStreamId(productId), 0, [
    { eventId: "e1", type: "catalog.ProductCreated.v1", recordedAt: at("2026-01-01T10:00:00Z"), metadata, data: { productId, sku: "SKU-1", name: "Blue mug", description: "", category: "kitchen", price, attributes: {} } },
    { eventId: "e2", type: "catalog.ProductRenamed.v1", recordedAt: at("2026-01-02T10:00:00Z"), metadata: { ...metadata, actor: "bob" }, data: { productId, name: "Navy mug", previousName: "Blue mug" } },
    { eventId: "e3", type: "catalog.ProductDiscontinued.v1", recordedAt: at("2026-01-03T10:00:00Z"), metadata, data: { productId } },
  ]);
  return createProductHistory(store);
};

describe("product history", () => {
  it("lists every event with version, type, time, data and actor", async () => {
    const entries = await (await seeded()).history(productId);
    expect(entries.map((e) => [e.version, e.type, e.actor])).toEqual([
      [1, "catalog.ProductCreated.v1", "ada"],
      [2, "catalog.ProductRenamed.v1", "bob"],
      [3, "catalog.ProductDiscontinued.v1", "ada"],
    ]);
    expect(entries[1]?.data).toEqual({ productId, name: "Navy mug", previousName: "Blue mug" });
  });

  it("folds the product as it was at an instant", async () => {
    const history = await seeded();
    expect(await history.asOf(productId, at("2026-01-01T12:00:00Z"))).toMatchObject({ status: "active", name: "Blue mug", version: 1 });
    expect(await history.asOf(productId, at("2026-01-02T10:00:00Z"))).toMatchObject({ status: "active", name: "Navy mug", version: 2 });
    expect(await history.asOf(productId, at("2027-01-01T00:00:00Z"))).toMatchObject({ status: "discontinued", version: 3 });
  });

  it("knows no product before its creation, nor an unknown one, and refuses a non-UUID id", async () => {
    const history = await seeded();
    await expect(history.asOf(productId, at("2025-12-31T00:00:00Z"))).rejects.toThrow(NotFoundError);
    await expect(history.history("1f8a5b0e-1c1d-4e55-9a57-3a1c2b3d4e5f")).rejects.toThrow(NotFoundError);
    await expect(history.history("nope")).rejects.toThrow(ValidationError);
  });
});
