import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";

/** Writes what handleSummary returned: `stdout`/`stderr` to the streams, every other key to a file (relative to cwd). */
export const writeHandleSummaryResult = async (
  result: unknown,
  cwd: string,
  streams: { stdout: (text: string) => void; stderr: (text: string) => void },
): Promise<void> => {
  if (typeof result !== "object" || result === null) throw new Error('handleSummary() must return an object like { stdout: "…", "path.json": "…" }');
  for (const [key, content] of Object.entries(result as Record<string, unknown>)) {
    const text = typeof content === "string" ? content : JSON.stringify(content);
    if (key === "stdout") streams.stdout(text);
    else if (key === "stderr") streams.stderr(text);
    else {
      const path = resolve(cwd, key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
    }
  }
};
