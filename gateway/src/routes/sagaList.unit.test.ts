import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../http/testGateway.js";

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

describe("GET /v1/sagas (open sagas)", () => {
  it("is for staff only", async () => {
    expect((await gw.get("/v1/sagas", { "x-test-scopes": "read" })).status).toBe(403);
  });

  it("validates its limit", async () => {
    const res = await gw.get("/v1/sagas?limit=0");
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(["limit"]);
  });

  it("lists no finished saga (a completed or compensated one is read by id)", async () => {
    const created = (await (await gw.post("/v1/products", { sku: "S-1", name: "Mug", category: "kitchen", price: { amount: 100, currency: "EUR" } })).json()) as { id: string };
    gw.downstreams.state.sagaOutcome = { status: "COMPENSATED", reason: "ordering unavailable" };
    expect((await gw.post(`/v1/products/${created.id}/rename?propagation=sync`, { name: "Cup" })).status).toBe(409);
    expect((await gw.get(`/v1/sagas/rename-${created.id}`)).status).toBe(200);
    const res = await gw.get("/v1/sagas");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [] });
  });

  it("lists the sagas that ended FAILED with status=failed, and only those", async () => {
    const created = (await (await gw.post("/v1/products", { sku: "S-2", name: "Bowl", category: "kitchen", price: { amount: 100, currency: "EUR" } })).json()) as { id: string };
    gw.downstreams.state.sagaOutcome = { status: "FAILED", reason: "restoring the name was refused" };
    expect((await gw.post(`/v1/products/${created.id}/rename?propagation=sync`, { name: "Dish" })).status).toBe(409);
    const failed = (await (await gw.get("/v1/sagas?status=failed")).json()) as { items: { sagaId: string; status: string }[] };
    expect(failed.items.map((s) => [s.sagaId, s.status])).toEqual([[`rename-${created.id}`, "FAILED"]]);
    expect(((await (await gw.get("/v1/sagas")).json()) as { items: unknown[] }).items).toEqual([]);
    expect((await gw.get("/v1/sagas?status=closed")).status).toBe(400);
  });
});
