import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { parsePointLine, type Point } from "./analysis/points.js";

/** Reads a run's `--out json` file, keeping the points of the given metrics (all when omitted). */
export const readPoints = async (file: string, metrics?: ReadonlySet<string>): Promise<Point[]> => {
  const points: Point[] = [];
  const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  for await (const line of lines) {
    const point = parsePointLine(line);
    if (point && (!metrics || metrics.has(point.metric))) points.push(point);
  }
  return points;
};
