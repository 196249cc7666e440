import { SCENARIOS } from "./plan.js";

export interface ReportArgs {
  only?: string[];
  quick: boolean;
  out: string;
  kneeP99Ms: number;
}

export class ReportUsageError extends Error {
  constructor(message: string) {
    super(`${message}\nusage: npm run loadtest -- report [--only ${SCENARIOS.join(",")}] [--quick] [--out docs/loadtests] [--knee-p99-ms 500]`);
    this.name = "ReportUsageError";
  }
}

/** `report [--only a,b] [--quick] [--out dir] [--knee-p99-ms N]`. */
export const parseReportArgs = (args: readonly string[]): ReportArgs => {
  const parsed: ReportArgs = { quick: false, out: "docs/loadtests", kneeP99Ms: 500 };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new ReportUsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === "--quick") parsed.quick = true;
    else if (flag === "--out") parsed.out = value();
    else if (flag === "--knee-p99-ms") {
      parsed.kneeP99Ms = Number(value());
      if (!(parsed.kneeP99Ms > 0)) throw new ReportUsageError("--knee-p99-ms must be a positive number");
    } else if (flag === "--only") {
      parsed.only = value()
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      const unknown = parsed.only.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
      if (unknown.length > 0) throw new ReportUsageError(`unknown scenario(s) ${unknown.join(", ")}`);
    } else throw new ReportUsageError(`unknown flag ${flag}`);
  }
  return parsed;
};
