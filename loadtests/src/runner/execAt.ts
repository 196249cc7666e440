import { spawn } from "node:child_process";

/** `--exec-at <seconds>:<command>`: a shell command run at an offset from the scenarios' start. */
export interface ExecAt {
  readonly atMs: number;
  readonly command: string;
}

export const parseExecAt = (text: string): ExecAt => {
  const colon = text.indexOf(":");
  const seconds = Number(text.slice(0, colon));
  const command = text.slice(colon + 1).trim();
  if (colon <= 0 || !Number.isFinite(seconds) || seconds < 0 || command === "") {
    throw new Error(`--exec-at "${text}": expected <seconds>:<shell command>, e.g. 30:"curl -XPOST http://…"`);
  }
  return { atMs: seconds * 1000, command };
};

const runShell = (command: string): Promise<number> =>
  new Promise((resolve) => {
    const child = spawn("sh", ["-c", command], { stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", () => resolve(127));
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });

/**
 * Starts each command at its offset from `startedAt` (monotonic ms). A failing command is logged
 * and does not stop the run. `finish()` cancels the ones not yet due and awaits the running ones.
 */
export const scheduleExecAt = (commands: readonly ExecAt[], startedAt: number, log: (line: string) => void): { finish(): Promise<void> } => {
  const running: Array<Promise<void>> = [];
  const started = commands.map(() => false);
  const timers = commands.map((entry, index) =>
    setTimeout(
      () => {
        started[index] = true;
        const began = performance.now();
        log(`exec-at ${entry.atMs / 1000}s (at ${((began - startedAt) / 1000).toFixed(2)}s): ${entry.command}`);
        running.push(
          runShell(entry.command).then((code) => {
            log(`exec-at ${entry.atMs / 1000}s: exited ${code} after ${Math.round(performance.now() - began)} ms: ${entry.command}`);
          }),
        );
      },
      Math.max(0, startedAt + entry.atMs - performance.now()),
    ),
  );
  return {
    async finish() {
      timers.forEach((timer, index) => {
        clearTimeout(timer);
        const entry = commands[index];
        if (entry && !started[index]) log(`exec-at ${entry.atMs / 1000}s: not run, the scenarios ended first: ${entry.command}`);
      });
      await Promise.all(running);
    },
  };
};
