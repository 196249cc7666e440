import { useState } from "preact/hooks";
import { useApi } from "../api/context.js";
import { Field, SyncOrAsyncChoice, type SyncOrAsync } from "../components/Field.js";
import { TaskForm } from "../components/TaskForm.js";
import { useTask } from "../components/useTask.js";
import { navigate } from "../router.js";
import { numberOf, placeOrderBody } from "../schemas.js";

/** "Place an order": one line (product and quantity), by choreography (async) or orchestration (sync saga). */
export const PlaceOrder = ({ customerId, onPlaced }: { customerId: string; onPlaced: () => void }) => {
  const api = useApi();
  const task = useTask(placeOrderBody);
  const [productId, setProductId] = useState("");
  const [quantity, setQuantity] = useState("1");
  const [flow, setFlow] = useState<SyncOrAsync>("async");
  const submit = async (event: Event) => {
    event.preventDefault();
    const answer = await task.run({ customerId, lines: [{ productId, quantity: numberOf(quantity) }] }, (body) =>
      api.command("/v1/orders", body, { query: { flow } }),
    );
    if (!answer) return;
    onPlaced();
    navigate("orders", (answer.body as { id: string }).id);
  };
  return (
    <TaskForm id="place-order" title="Place an order" task={task} onSubmit={submit} action="Place order">
      <Field name="lines.0.productId" label="Product id" value={productId} onInput={setProductId} error={task.errors["lines.0.productId"]} />
      <Field
        name="lines.0.quantity"
        label="Quantity"
        type="number"
        value={quantity}
        onInput={setQuantity}
        error={task.errors["lines.0.quantity"] ?? task.errors.lines}
      />
      <SyncOrAsyncChoice
        name="flow"
        legend="Flow"
        value={flow}
        onChange={setFlow}
        labels={{ async: "Choreography (events, answers PENDING)", sync: "Orchestration (saga, answers CONFIRMED or REJECTED)" }}
      />
    </TaskForm>
  );
};
