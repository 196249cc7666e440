import { useState } from "preact/hooks";
import { useApi } from "../api/context.js";
import { Field } from "../components/Field.js";
import { ConsistencyBadge, Notice, ProblemBanner } from "../components/Status.js";
import { useRead } from "../components/useRead.js";
import { TaskForm } from "../components/TaskForm.js";
import { useTask } from "../components/useTask.js";
import { href } from "../router.js";
import { cancelOrderBody, formatMoney } from "../schemas.js";
import type { Order } from "../views.js";

/** An order with its product details (the hybrid read: `degraded` when the catalog cannot be asked) and "cancel it". */
export const OrderPage = ({ id }: { id: string }) => {
  const api = useApi();
  const order = useRead(() => api.get<Order>(`/v1/orders/${id}`, { query: { include: "productDetails" } }), [id]);
  const task = useTask(cancelOrderBody);
  const [reason, setReason] = useState("");
  const [notice, setNotice] = useState<string | undefined>();
  const current = order.answer?.body;
  const submit = async (event: Event) => {
    event.preventDefault();
    const answer = await task.run(reason ? { reason } : {}, (body) => api.command(`/v1/orders/${id}/cancel`, body, { version: current?.version }));
    if (answer) {
      setNotice("Order cancelled.");
      order.reload();
    }
  };
  return (
    <section>
      <h1>Order {id.slice(0, 8)}</h1>
      <ProblemBanner problem={order.problem} />
      {current && order.answer ? (
        <div class="card" data-testid="order">
          <ConsistencyBadge consistency={order.answer.consistency} elapsedMs={order.answer.elapsedMs} />
          {current.degraded ? (
            <p class="degraded" role="alert" data-testid="degraded">
              Degraded: product details unavailable ({current.degradedReason ?? "unknown"}); names below are ordering's local copy.
            </p>
          ) : null}
          <dl>
            <dt>Status</dt>
            <dd data-testid="order-status">{current.status}</dd>
            <dt>Flow</dt>
            <dd>{current.flow === "SYNC" ? "Orchestration (saga)" : "Choreography"}</dd>
            <dt>Customer</dt>
            <dd>
              <a href={href("customers", current.customerId)}>{current.customerId}</a>
            </dd>
            <dt>Total</dt>
            <dd>{formatMoney(current.total)}</dd>
            {current.reason ? (
              <>
                <dt>Reason</dt>
                <dd>{current.reason}</dd>
              </>
            ) : null}
          </dl>
          <ul>
            {current.lines.map((line) => (
              <li key={line.productId}>
                {line.quantity} × <a href={href("products", line.productId)}>{current.products?.[line.productId]?.name ?? line.productName}</a>
              </li>
            ))}
          </ul>
          {current.flow === "SYNC" ? (
            <p>
              Saga: <a href={href("sagas", current.id)}>{current.id}</a>
            </p>
          ) : null}
        </div>
      ) : null}
      <Notice text={notice} />
      <TaskForm id="cancel" title="Cancel this order" task={task} onSubmit={submit} action="Cancel order" disabled={current?.status === "CANCELLED"}>
        <Field name="reason" label="Reason" value={reason} onInput={setReason} error={task.errors.reason} />
      </TaskForm>
    </section>
  );
};
