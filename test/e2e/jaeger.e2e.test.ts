import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";

/**
 * The local stack's Jaeger (deploy/local/lib/jaeger.sh), as every process reaches it: a span sent
 * over OTLP/HTTP to 127.0.0.1:4318 is found through the query API on 127.0.0.1:16686 by its trace
 * id, with its service and operation, and the service is listed. `stack up` starts Jaeger.
 */
const OTLP = `http://127.0.0.1:${process.env.JAEGER_OTLP_HTTP_PORT ?? "4318"}`;
const QUERY = `http://127.0.0.1:${process.env.JAEGER_QUERY_PORT ?? "16686"}`;

it("stores a span sent over OTLP/HTTP and answers it by trace id", async () => {
  const traceId = randomBytes(16).toString("hex");
  const spanId = randomBytes(8).toString("hex");
  const service = `jaeger-e2e-${randomBytes(3).toString("hex")}`;
  const startNs = BigInt(Date.now()) * 1_000_000n;
  const sent = await fetch(`${OTLP}/v1/traces`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] },
          scopeSpans: [
            { spans: [{ traceId, spanId, name: "probe", kind: 2, startTimeUnixNano: String(startNs), endTimeUnixNano: String(startNs + 2_000_000n) }] },
          ],
        },
      ],
    }),
  }).catch((error: unknown) => {
    throw new Error(`Jaeger's OTLP receiver at ${OTLP} is not reachable: is it running? (bash deploy/local/stack status jaeger)`, { cause: error });
  });
  expect(sent.status).toBe(200);

  // The collector batches before storing: poll (bounded) until the trace is there.
  let trace:
    | {
        data: { spans: { spanID: string; operationName: string; duration: number; processID: string }[]; processes: Record<string, { serviceName: string }> }[];
      }
    | undefined;
  for (let tries = 0; tries < 50 && !trace; tries++) {
    const res = await fetch(`${QUERY}/api/traces/${traceId}`);
    if (res.status === 200) trace = (await res.json()) as typeof trace;
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(trace, `trace ${traceId} not found in Jaeger within 5 s`).toBeDefined();
  const [span] = trace!.data[0]!.spans;
  expect(span).toMatchObject({ spanID: spanId, operationName: "probe", duration: 2000 });
  expect(trace!.data[0]!.processes[span!.processID]?.serviceName).toBe(service);
  const services = (await (await fetch(`${QUERY}/api/services`)).json()) as { data: string[] };
  expect(services.data).toContain(service);
});
