import { useState } from "preact/hooks";
import { useApi } from "../api/context.js";
import { Choice, Field } from "../components/Field.js";
import { ProblemBanner } from "../components/Status.js";
import { useTask } from "../components/useTask.js";
import { navigate } from "../router.js";
import { numberOf, placeOrderBody } from "../schemas.js";

type Flow = "async" | "sync";

/** "Place an order": one line (product and quantity), by choreography (async) or orchestration (sync saga). */
export const PlaceOrder = ({ customerId, onPlaced }: { customerId: string; onPlaced: () => void }) => {
  const api = useApi();
  const task = useTask(placeOrderBody);
  const [productId, setProductId] = useState("");
  const [quantity, setQuantity] = useState("1");
  const [flow, setFlow] = useState<Flow>("async");
  const submit = async (event: Event) => {
    event.preventDefault();
    const answer = await task.run({ customerId, lines: [{ productId, quantity: numberOf(quantity) }] }, (body) => api.command("/v1/orders", body, { query: { flow } }));
    if (!answer) return;
    onPlaced();
    navigate("orders", (answer.body as { id: string }).id);
  };
  return (
    <form class="task" aria-labelledby="place-order" onSubmit={submit} noValidate>
      <h2 id="place-order">Place an order</h2>
      <Field name="lines.0.productId" label="Product id" value={productId} onInput={setProductId} error={task.errors["lines.0.productId"]} />
      <Field name="lines.0.quantity" label="Quantity" type="number" value={quantity} onInput={setQuantity} error={task.errors["lines.0.quantity"] ?? task.errors.lines} />
      <Choice
        name="flow"
        legend="Flow"
        value={flow}
        onChange={setFlow}
        options={[
          { value: "async", label: "Choreography (events, answers PENDING)" },
          { value: "sync", label: "Orchestration (saga, answers CONFIRMED or REJECTED)" },
        ]}
      />
      <ProblemBanner problem={task.problem} />
      <button type="submit" disabled={task.pending}>
        Place order
      </button>
    </form>
  );
};
