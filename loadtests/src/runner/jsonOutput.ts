import { createWriteStream } from "node:fs";
import { once } from "node:events";
import type { Metric, Sample } from "./metrics/registry.js";
import type { Threshold } from "./thresholds.js";

/**
 * k6's `--out json=<file>` format: a `Metric` line the first time a metric is seen, then one
 * `Point` line per sample. Lines are batched and written every flushIntervalMs (or when the
 * buffer grows), so writing stays off the requests' path.
 */
export class JsonOutput {
  private readonly stream;
  private readonly declared = new Set<string>();
  private buffer: string[] = [];
  private bufferedChars = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    path: string,
    private readonly thresholds: () => readonly Threshold[],
    flushIntervalMs = 200,
  ) {
    this.stream = createWriteStream(path, { encoding: "utf8" });
    this.timer = setInterval(() => this.flush(), flushIntervalMs);
    this.timer.unref();
  }

  readonly onSample = (sample: Sample): void => {
    if (!this.declared.has(sample.metric.name)) {
      this.declared.add(sample.metric.name);
      this.push(this.metricLine(sample.metric));
    }
    this.push(
      JSON.stringify({
        metric: sample.metric.name,
        type: "Point",
        data: { time: new Date(sample.time).toISOString(), value: sample.value, tags: sample.tags },
      }),
    );
  };

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.flush();
    this.stream.end();
    await once(this.stream, "finish");
  }

  private metricLine(metric: Metric): string {
    const thresholds = this.thresholds().filter((threshold) => threshold.metric === metric);
    return JSON.stringify({
      type: "Metric",
      data: {
        name: metric.name,
        type: metric.type,
        contains: metric.contains,
        thresholds: thresholds.filter((threshold) => threshold.selectorKey === metric.name).map((threshold) => threshold.expression),
        submetrics:
          metric.submetrics.length === 0
            ? null
            : metric.submetrics.map((submetric) => ({ name: submetric.selector.key, tags: Object.fromEntries(submetric.selector.filter) })),
      },
      metric: metric.name,
    });
  }

  private push(line: string): void {
    this.buffer.push(line);
    this.bufferedChars += line.length;
    if (this.bufferedChars > 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    this.stream.write(`${this.buffer.join("\n")}\n`);
    this.buffer = [];
    this.bufferedChars = 0;
  }
}
