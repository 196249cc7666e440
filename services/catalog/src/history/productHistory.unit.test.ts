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
    {
      eventId: "e1",
      type: "catalog.ProductCreated.v1",
      recordedAt: at("2026-01-01T10:00:00Z"),
      metadata,
      data: { productId, sku: "SKU-1", name: "Blue mug", description: "", category: "kitchen", price, attributes: {} },
    },
    {
      eventId: "e2",
      type: "catalog.ProductRenamed.v1",
      recordedAt: at("2026-01-02T10:00:00Z"),
      metadata: { ...metadata, actor: "bob" },
      data: { productId, name: "Navy mug", previousName: "Blue mug" },
    },
    { eventId: "e3", type: "catalog.ProductDiscontinued.v1", recordedAt: at("2026-01-03T10:00:00Z"), metadata, data: { productId } },
  ]);
  return createProductHistory(store);
};

describe("product history", () => {
  it("lists every event with version, type, time, data and actor", async () => {
    const { entries, nextCursor } = await (await seeded()).history(productId);
    expect(nextCursor).toBe("");
    expect(entries.map((e) => [e.version, e.type, e.actor])).toEqual([
      [1, "catalog.ProductCreated.v1", "ada"],
      [2, "catalog.ProductRenamed.v1", "bob"],
      [3, "catalog.ProductDiscontinued.v1", "ada"],
    ]);
    expect(entries[1]?.data).toEqual({ productId, name: "Navy mug", previousName: "Blue mug" });
  });

  it("pages through the trail: limit events per page, each page's cursor leading to the next", async () => {
    const history = await seeded();
    const first = await history.history(productId, { limit: 2 });
    expect(first.entries.map((e) => e.version)).toEqual([1, 2]);
    const second = await history.history(productId, { limit: 2, cursor: first.nextCursor });
    expect(second.entries.map((e) => e.version)).toEqual([3]);
    expect(second.nextCursor).toBe("");
    // Past the end of a product that exists: an empty page, not "not found".
    expect(await history.history(productId, { cursor: "9" })).toEqual({ entries: [], nextCursor: "" });
    await expect(history.history("1f8a5b0e-1c1d-4e55-9a57-3a1c2b3d4e5f", { cursor: "2" })).rejects.toThrow(NotFoundError);
  });

  it("refuses a cursor that is no version and a limit outside 1 to 500", async () => {
    const history = await seeded();
    for (const cursor of ["0", "-1", "1.5", "abc", "1e3", "99999999999999999"])
      await expect(history.history(productId, { cursor }), cursor).rejects.toThrow(ValidationError);
    for (const limit of [-1, 501, 2.5]) await expect(history.history(productId, { limit }), String(limit)).rejects.toThrow(ValidationError);
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
