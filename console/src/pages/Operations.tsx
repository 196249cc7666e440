import { useApi } from "../api/context.js";
import { ProblemBanner } from "../components/Status.js";
import { useRead } from "../components/useRead.js";
import type { Readiness } from "../views.js";

/** The gateway's /readyz: each downstream's gRPC health and every circuit breaker's state. */
export const Operations = () => {
  const api = useApi();
  // /readyz answers 503 with the same body when a downstream is down: show it, not an error.
  const ready = useRead(() => api.get<Readiness>("/readyz", { answers: [503] }), []);
  const body = ready.answer?.body;
  return (
    <section>
      <h1>Operations</h1>
      <button type="button" onClick={ready.reload}>
        Refresh
      </button>
      <ProblemBanner problem={ready.problem} />
      {body ? (
        <>
          <p data-testid="readiness">Gateway: {body.status}</p>
          <h2>Downstream services</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">Health</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(body.services).map(([service, health]) => (
                <tr key={service}>
                  <td>{service}</td>
                  <td>{health}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Circuit breakers</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">Method</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {(body.breakers ?? []).map((breaker) => (
                <tr key={`${breaker.service}.${breaker.method}`}>
                  <td>{breaker.service}</td>
                  <td>{breaker.method}</td>
                  <td data-testid="breaker-state">{breaker.state}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
};
