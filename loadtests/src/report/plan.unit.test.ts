import { describe, expect, it } from "vitest";
import { parseStackStatus } from "@bazaar/testing";
import { parseReportArgs, ReportUsageError } from "./args.js";
import { faultFlags, ordersRun, planRuns } from "./plan.js";

describe("report flags and plan", () => {
  it("parses --only, --quick, --out and rejects unknown scenarios and flags", () => {
    expect(parseReportArgs(["--only", "orders,rename", "--quick", "--out", "/tmp/x"])).toEqual({
      only: ["orders", "rename"],
      quick: true,
      out: "/tmp/x",
      kneeP99Ms: 500,
    });
    expect(() => parseReportArgs(["--only", "ordrs"])).toThrow(ReportUsageError);
    expect(() => parseReportArgs(["--fast"])).toThrow(/unknown flag --fast/);
  });

  it("runs the storefront first, three rename fan-outs, order details (healthy part, then the catalog fault) and faults", () => {
    const runs = planRuns({ quick: false, kneeP99Ms: 500 });
    expect(runs.map((r) => r.id)).toEqual(["storefront", "orders", "rename-fanout1", "rename-fanout100", "rename-fanout1000", "orderDetails", "faults"]);
    // orderDetails.js refuses a FAULT_AT inside its healthy part (2 × 20 s + 5 s gap + 5 s lead-in).
    expect(runs.find((r) => r.id === "orderDetails")!.fault).toEqual({ context: "catalog", at: 60, for: 30 });
    expect(runs.find((r) => r.id === "faults")!.fault).toEqual({ context: "inventory", at: 15, for: 30 });
    expect(planRuns({ quick: true, only: ["rename"], kneeP99Ms: 500 }).map((r) => r.env.FANOUT)).toEqual(["1", "10"]);
  });

  it("runs orders at half the async knee, or at the script default and says so", () => {
    expect(ordersRun({ quick: false, kneeP99Ms: 500 }, 60).flags).toEqual(["--rate", "30"]);
    const fallback = ordersRun({ quick: false, kneeP99Ms: 500 }, undefined);
    expect(fallback.flags).toEqual([]);
    expect(fallback.rateNote).toContain("no async knee was found");
  });

  it("injects a fault with two --exec-at curls and the FAULT_ env", () => {
    const flags = faultFlags({ context: "catalog", at: 10, for: 20 }, (action, ctx) => `http://127.0.0.1:9/${action}/${ctx}`);
    expect(flags).toEqual([
      "-e",
      "FAULT_AT=10",
      "-e",
      "FAULT_FOR=20",
      "--exec-at",
      "10:curl -fsS -XPOST http://127.0.0.1:9/stop/catalog",
      "--exec-at",
      "30:curl -fsS -XPOST http://127.0.0.1:9/start/catalog",
    ]);
  });

  it("reads the data stores' pids from stack status", () => {
    const status =
      "cassandra      running  pid 1057  cql://127.0.0.1:9042  healthy\nelasticsearch  running  pid 32458  http://127.0.0.1:9200  healthy\nnats           stopped  nats://127.0.0.1:4222\n";
    expect(parseStackStatus(status)).toEqual({ cassandra: 1057, elasticsearch: 32458 });
  });
});
