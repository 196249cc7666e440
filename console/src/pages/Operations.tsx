import { useApi } from "../api/context.js";
import { ProblemBanner } from "../components/Status.js";
import { Table } from "../components/Table.js";
import { useRead } from "../components/useRead.js";
import type { Pipeline, Readiness } from "../views.js";

/**
 * The gateway's /readyz (each downstream's gRPC health, every circuit breaker's state) and the
 * asynchronous side: every projector's and reaction's lag and dead letters (staff only).
 */
export const Operations = () => {
  const api = useApi();
  // /readyz answers 503 with the same body when a downstream is down: show it, not an error.
  const ready = useRead(() => api.get<Readiness>("/readyz", { answers: [503] }), []);
  const pipeline = useRead(() => api.get<Pipeline>("/v1/operations/pipeline"), []);
  const body = ready.answer?.body;
  const flow = pipeline.answer?.body;
  const deadLettersOf = (consumer: string) => flow?.deadLetters.find((d) => d.consumer === consumer)?.count ?? 0;
  const reload = () => {
    ready.reload();
    pipeline.reload();
  };
  return (
    <section>
      <h1>Operations</h1>
      <button type="button" onClick={reload}>
        Refresh
      </button>
      <ProblemBanner problem={ready.problem} />
      {body ? (
        <>
          <p data-testid="readiness">Gateway: {body.status}</p>
          <h2>Downstream services</h2>
          <Table columns={["Service", "Health"]}>
            {Object.entries(body.services).map(([service, health]) => (
              <tr key={service}>
                <td>{service}</td>
                <td>{health}</td>
              </tr>
            ))}
          </Table>
          <h2>Circuit breakers</h2>
          <Table columns={["Service", "Method", "State"]}>
            {(body.breakers ?? []).map((breaker) => (
              <tr key={`${breaker.service}.${breaker.method}`}>
                <td>{breaker.service}</td>
                <td>{breaker.method}</td>
                <td data-testid="breaker-state">{breaker.state}</td>
              </tr>
            ))}
          </Table>
        </>
      ) : null}
      <h2>Projections and reactions</h2>
      <ProblemBanner problem={pipeline.problem} />
      {flow ? (
        <Table columns={["Stream of", "Consumer", "Lag (events not yet delivered)", "Being handled", "Dead letters", "Last active"]}>
          {flow.consumers.map((c) => (
            <tr key={c.consumer} data-testid="pipeline-consumer">
              <td>{c.context}</td>
              <td>{c.consumer}</td>
              <td data-testid="consumer-lag">{c.pending}</td>
              <td>{c.ackPending}</td>
              <td data-testid="consumer-dead-letters">{deadLettersOf(c.consumer)}</td>
              <td>{c.lastActive ?? "never"}</td>
            </tr>
          ))}
        </Table>
      ) : null}
    </section>
  );
};
