import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CONTEXTS, type ContextName, type ProcessEvent } from "@bazaar/testing";

/** What the control server drives: stop a context process, start it again. */
export interface ContextControl {
  stop(name: ContextName): Promise<ProcessEvent>;
  start(name: ContextName): Promise<ProcessEvent>;
}

/**
 * `POST /stop/<ctx>` and `POST /start/<ctx>` on 127.0.0.1 (port 0): the scenario runner's
 * `--exec-at` curl commands inject faults through it, so a fault happens at a known offset of
 * the run and its timing is recorded here rather than guessed.
 */
export const startFaultControl = async (control: ContextControl, log: (line: string) => void) => {
  const server: Server = createServer((request, response) => {
    const match = /^\/(stop|start)\/([a-z]+)$/.exec(request.url ?? "");
    const name = match?.[2] as ContextName | undefined;
    if (request.method !== "POST" || !match || !name || !CONTEXTS.includes(name)) {
      response.writeHead(404).end(`POST /stop/<ctx> or /start/<ctx>; ctx one of ${CONTEXTS.join(", ")}\n`);
      return;
    }
    const action = match[1] === "stop" ? control.stop(name) : control.start(name);
    action.then(
      (event) => {
        log(`fault control: ${event.action} ${event.context} took ${event.durationMs} ms`);
        response.writeHead(200, { "content-type": "application/json" }).end(`${JSON.stringify(event)}\n`);
      },
      (error: unknown) => {
        log(`fault control: ${match[1]} ${name} failed: ${String(error)}`);
        response.writeHead(500).end(`${String(error)}\n`);
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (action: "stop" | "start", name: ContextName) => `http://127.0.0.1:${port}/${action}/${name}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

export type FaultControl = Awaited<ReturnType<typeof startFaultControl>>;
