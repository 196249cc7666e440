import { useApi } from "../api/context.js";
import { OpenById } from "../components/OpenById.js";
import { ProblemBanner } from "../components/Status.js";
import { Table } from "../components/Table.js";
import { useRead } from "../components/useRead.js";
import { href, navigate } from "../router.js";
import type { Saga, SagaSummary } from "../views.js";

/** A list of sagas with a link to each one's step log. */
const SagaTable = ({ items }: { items: SagaSummary[] }) => (
  <Table columns={["Saga", "Type", "Status", "Started", "Steps", "Reason"]}>
    {items.map((saga) => (
      <tr key={saga.sagaId}>
        <td>
          <a href={href("sagas", saga.sagaId)}>{saga.sagaId}</a>
        </td>
        <td>{saga.type}</td>
        <td>{saga.status}</td>
        <td>{new Date(saga.startedAt).toLocaleString()}</td>
        <td>{saga.steps}</td>
        <td>{saga.reason ?? ""}</td>
      </tr>
    ))}
  </Table>
);

/**
 * The sagas still running or compensating, those that ended FAILED (an undo refused for good:
 * someone must decide), both for staff, and any saga by id (a sync order's saga id is its order id).
 */
export const Sagas = () => {
  const api = useApi();
  const open = useRead(() => api.get<{ items: SagaSummary[] }>("/v1/sagas"), []);
  const failed = useRead(() => api.get<{ items: SagaSummary[] }>("/v1/sagas?status=failed"), []);
  return (
    <section>
      <h1>Sagas</h1>
      <h2>Failed sagas (an undo was refused: for an operator)</h2>
      <ProblemBanner problem={failed.problem} />
      {failed.answer ? (
        failed.answer.body.items.length === 0 ? (
          <p data-testid="no-failed-sagas">No saga has failed.</p>
        ) : (
          <SagaTable items={failed.answer.body.items} />
        )
      ) : null}
      <h2>Open sagas (running or compensating)</h2>
      <button
        type="button"
        onClick={() => {
          open.reload();
          failed.reload();
        }}
      >
        Refresh
      </button>
      <ProblemBanner problem={open.problem} />
      {open.answer ? (
        open.answer.body.items.length === 0 ? (
          <p data-testid="no-open-sagas">No saga is running or compensating.</p>
        ) : (
          <SagaTable items={open.answer.body.items} />
        )
      ) : null}
      <h2>Open a saga</h2>
      <OpenById name="sagaId" label="Saga id" action="Open saga" onOpen={(id) => navigate("sagas", id)} />
    </section>
  );
};

/** A saga's status and its step log as a timeline: steps, then compensations in reverse. */
export const SagaPage = ({ id }: { id: string }) => {
  const api = useApi();
  const saga = useRead(() => api.get<Saga>(`/v1/sagas/${id}`), [id]);
  const current = saga.answer?.body;
  return (
    <section>
      <h1>Saga {id}</h1>
      <ProblemBanner problem={saga.problem} />
      <button type="button" onClick={saga.reload}>
        Refresh
      </button>
      {current ? (
        <>
          <dl class="card">
            <dt>Type</dt>
            <dd>{current.type}</dd>
            <dt>Status</dt>
            <dd data-testid="saga-status" class={`saga-${current.status.toLowerCase()}`}>
              {current.status}
            </dd>
            {current.reason ? (
              <>
                <dt>Reason</dt>
                <dd>{current.reason}</dd>
              </>
            ) : null}
            <dt>Started</dt>
            <dd>{new Date(current.startedAt).toLocaleString()}</dd>
          </dl>
          <ol class="timeline" aria-label="Saga steps">
            {current.steps.map((step, index) => (
              <li key={index} class={`step-${step.kind} step-${step.status.toLowerCase()}`}>
                <time dateTime={step.at}>{new Date(step.at).toLocaleTimeString()}</time>{" "}
                <strong>{step.kind === "compensation" ? `compensate ${step.name}` : step.name}</strong> {step.status}
                {step.error ? <span class="error"> — {step.error}</span> : null}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
};
