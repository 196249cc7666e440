import { describe, expect, it } from "vitest";
import { originOf, summarizeProfile } from "./cpuProfile.js";

const node = (id: number, functionName: string, url: string, hitCount: number) => ({ id, callFrame: { functionName, url, lineNumber: 9 }, hitCount });

describe("originOf", () => {
  it("names the npm package (scoped too), the workspace package, Node's module, or V8's bucket", () => {
    expect(originOf("file:///r/node_modules/cassandra-driver/lib/client.js", "execute")).toBe("cassandra-driver");
    expect(originOf("file:///r/node_modules/@grpc/grpc-js/build/src/server.js", "x")).toBe("@grpc/grpc-js");
    expect(originOf("file:///r/packages/event-store/dist/outbox.js", "markPending")).toBe("packages/event-store");
    expect(originOf("file:///r/gateway/dist/app.js", "createApp")).toBe("gateway");
    expect(originOf("node:internal/streams/readable", "push")).toBe("node:internal");
    expect(originOf("", "(garbage collector)")).toBe("(garbage collector)");
  });
});

describe("summarizeProfile", () => {
  it("adds self time by origin and function, leaves idle out of the busy time, and converts hits to ms", () => {
    const summary = summarizeProfile({
      startTime: 0,
      endTime: 10_000_000, // 10 s in µs, 10 000 hits: 1 ms a hit
      nodes: [
        node(1, "(idle)", "", 7_000),
        node(2, "execute", "file:///r/node_modules/cassandra-driver/lib/client.js", 2_000),
        node(3, "encode", "file:///r/node_modules/cassandra-driver/lib/encoder.js", 500),
        node(4, "(garbage collector)", "", 500),
      ],
    });
    expect(summary.busyMs).toBeCloseTo(3_000);
    expect(summary.byOrigin.map((s) => [s.what, Math.round(s.ms)])).toEqual([
      ["cassandra-driver", 2_500],
      ["(garbage collector)", 500],
    ]);
    expect(summary.byOrigin[0]!.share).toBeCloseTo(2_500 / 3_000);
    expect(summary.byFunction[0]!.what).toBe("execute cassandra-driver/client.js:10");
  });
});
