import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { aSaga } from "../../../test/fakes/gatewayAnswers.js";
import { startTestGateway, type TestGateway } from "../../../test/fakes/testGateway.js";

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());
beforeEach(() => gw.downstreams.reset());

describe("GET /v1/sagas (open sagas)", () => {
  it("is for staff only", async () => {
    expect((await gw.get("/v1/sagas", { "x-test-scopes": "read" })).status).toBe(403);
    expect(gw.downstreams.calls).toEqual([]);
  });

  it("validates its limit", async () => {
    const res = await gw.get("/v1/sagas?limit=0");
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(["limit"]);
    expect(gw.downstreams.calls).toEqual([]);
  });

  it("lists what the coordinator reports open, each with its count of logged steps, asking for the limit given (default 50)", async () => {
    const step = { name: "catalog.rename", kind: "step" as const, status: "DONE", at: "2026-01-01T00:00:00.500Z" };
    const running = aSaga({ sagaId: "rename-1", status: "RUNNING", steps: [step, { ...step, name: "ordering.rename", status: "STARTED" }] });
    gw.downstreams.sagas.answer("open", [running]);
    const res = await gw.get("/v1/sagas");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [{ ...running, steps: 2 }] });
    expect(gw.downstreams.calls).toEqual([{ call: "sagas.open", request: 50 }]);
    await gw.get("/v1/sagas?limit=7");
    expect(gw.downstreams.lastRequest("sagas.open")).toBe(7);
  });

  it("lists the sagas that ended FAILED with status=failed, from the coordinator's failed list only; another status is a 400", async () => {
    const failed = aSaga({ sagaId: "rename-2", status: "FAILED", reason: "restoring the name was refused" });
    gw.downstreams.sagas.answer("failed", [failed]);
    const res = await gw.get("/v1/sagas?status=failed");
    expect(await res.json()).toEqual({ items: [{ ...failed, steps: 0 }] });
    expect(gw.downstreams.called()).toEqual(["sagas.failed"]);
    expect((await gw.get("/v1/sagas?status=closed")).status).toBe(400);
    expect(gw.downstreams.called()).toEqual(["sagas.failed"]);
  });
});
