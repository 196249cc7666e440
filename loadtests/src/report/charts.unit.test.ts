import { describe, expect, it } from "vitest";
import { availabilityChart, latencyChart, renderSvg, storefrontChart, stalenessChart } from "./charts.js";
import { fixtureRun, ordersPoints, reportData } from "./fixtures.test.js";
import { CHARTS } from "./markdown.js";
import { reportCharts } from "./reportCharts.js";

describe("charts", () => {
  it("renders each chart spec headless to SVG with its data", async () => {
    const latency = await renderSvg(
      latencyChart([
        { run: "orders", mode: "async", percentile: "p50", ms: 12 },
        { run: "orders", mode: "sync", percentile: "p99", ms: 480 },
      ]),
    );
    expect(latency.startsWith("<svg")).toBe(true);
    expect(latency).toContain("orders · sync");
    const storefront = await renderSvg(
      storefrontChart(
        [
          { mode: "async", step: 10, p99: 40, requestsPerSecond: 19 },
          { mode: "async", step: 20, p99: 700, requestsPerSecond: 30 },
        ],
        [{ mode: "async", step: 10 }],
        500,
      ),
    );
    expect(storefront).toContain("<svg");
    expect(await renderSvg(stalenessChart([{ mode: "async", fanout: "1", value: 900, fraction: 1 }]))).toContain("<svg");
    const availability = await renderSvg(
      availabilityChart(
        "faults",
        [
          { mode: "sync", second: 0, percent: 100 },
          { mode: "sync", second: 1, percent: 20 },
        ],
        [{ from: 0.5, to: 1.5, label: "inventory down" }],
      ),
    );
    expect(availability).toContain("<svg");
    expect(availability).toContain("% answered 2xx");
  });

  it("charts only what the data holds", () => {
    const onlyOrders = reportCharts(reportData());
    expect(Object.keys(onlyOrders)).toEqual([CHARTS.latency]);
    const faults = fixtureRun("faults", "faults", ordersPoints(), {
      faultEvents: [
        { context: "inventory", action: "stop", requestedAt: Date.now(), doneAt: Date.now() + 10, durationMs: 10, detail: 0 },
        { context: "inventory", action: "start", requestedAt: Date.now() + 1_000, doneAt: Date.now() + 3_000, durationMs: 2_000, detail: 1234 },
      ],
    });
    expect(Object.keys(reportCharts(reportData([faults])))).toContain(CHARTS.faults);
  });
});
