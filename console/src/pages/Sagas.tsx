import { useState } from "preact/hooks";
import { useApi } from "../api/context.js";
import { Field } from "../components/Field.js";
import { ProblemBanner } from "../components/Status.js";
import { useRead } from "../components/useRead.js";
import { navigate } from "../router.js";
import type { Saga } from "../views.js";

/** Open a saga by id (a sync order's saga id is its order id). */
export const Sagas = () => {
  const [id, setId] = useState("");
  return (
    <section>
      <h1>Sagas</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (id.trim()) navigate("sagas", id.trim());
        }}
      >
        <Field name="sagaId" label="Saga id" value={id} onInput={setId} />
        <button type="submit">Open saga</button>
      </form>
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
                <time dateTime={step.at}>{new Date(step.at).toLocaleTimeString()}</time> <strong>{step.kind === "compensation" ? `compensate ${step.name}` : step.name}</strong> {step.status}
                {step.error ? <span class="error"> — {step.error}</span> : null}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
};
