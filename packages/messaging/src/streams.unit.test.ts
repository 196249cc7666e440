import { JetStreamApiError, type JetStreamManager } from "@nats-io/jetstream";
import { describe, expect, it } from "vitest";
import { ensureStream, streamReplicas } from "./streams.js";

/** A JetStream manager holding streams in a map, merging updates as the client does. */
const fakeJsm = (existing: Record<string, Record<string, unknown>> = {}) => {
  const streams = new Map(Object.entries(existing));
  const notFound = () => new JetStreamApiError({ err_code: 10059, code: 404, description: "stream not found" });
  const jsm = {
    streams: {
      info: async (name: string) => {
        const config = streams.get(name);
        if (!config) throw notFound();
        return { config: { num_replicas: 1, ...config } };
      },
      update: async (name: string, config: Record<string, unknown>) => void streams.set(name, { ...streams.get(name), ...config }),
      add: async (config: Record<string, unknown>) => void streams.set(config.name as string, config),
    },
  } as unknown as JetStreamManager;
  return { jsm, streams };
};

const settings = { name: "CATALOG", subjects: ["catalog.events.>"], duplicateWindowMs: 120_000 };

describe("ensureStream replicas", () => {
  it("creates a stream with the replicas asked for", async () => {
    const { jsm, streams } = fakeJsm();
    await ensureStream(jsm, { ...settings, replicas: 3 });
    expect(streams.get("CATALOG")?.num_replicas).toBe(3);
    expect(await streamReplicas(jsm, "CATALOG")).toBe(3);
  });

  it("changes an existing stream's replicas when asked", async () => {
    const { jsm, streams } = fakeJsm({ CATALOG: { name: "CATALOG", num_replicas: 1 } });
    await ensureStream(jsm, { ...settings, replicas: 3 });
    expect(streams.get("CATALOG")?.num_replicas).toBe(3);
  });

  it("leaves an existing stream's replicas alone when not told (a reader never scales it down)", async () => {
    const { jsm, streams } = fakeJsm({ CATALOG: { name: "CATALOG", num_replicas: 3 } });
    await ensureStream(jsm, settings);
    expect(streams.get("CATALOG")?.num_replicas).toBe(3);
    expect(streams.get("CATALOG")?.subjects).toEqual(["catalog.events.>"]);
  });

  it("says undefined for a stream that does not exist", async () => {
    expect(await streamReplicas(fakeJsm().jsm, "NOPE")).toBeUndefined();
  });
});
