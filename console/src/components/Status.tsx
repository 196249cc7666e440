import type { Consistency } from "../api/client.js";
import type { Problem } from "../api/problem.js";
import { href } from "../router.js";

/** Whether the view reflects the last task (its consistency token) and how long the read took. */
export const ConsistencyBadge = ({ consistency, elapsedMs }: { consistency: Consistency; elapsedMs: number }) => (
  <p class={`consistency consistency-${consistency}`} role="status" data-consistency={consistency}>
    {consistency === "none"
      ? "Read model (no pending write to wait for)"
      : consistency === "consistent"
        ? "Consistent: reflects your last change"
        : "Stale: the read model has not caught up yet"}
    {` · answered in ${elapsedMs} ms`}
  </p>
);

/** A refused or failed request, with a link to the saga that ended it if there is one. */
export const ProblemBanner = ({ problem }: { problem: Problem | undefined }) =>
  problem ? (
    <div class="problem" role="alert">
      <strong>
        {problem.title} ({problem.status})
      </strong>
      {problem.detail ? <p>{problem.detail}</p> : null}
      {problem.sagaId ? (
        <p>
          Saga: <a href={href("sagas", problem.sagaId)}>{problem.sagaId}</a>
          {problem.reason ? ` — ${problem.reason}` : null}
        </p>
      ) : null}
    </div>
  ) : null;

export const Notice = ({ text }: { text: string | undefined }) =>
  text ? (
    <p class="notice" role="status">
      {text}
    </p>
  ) : null;
