import { useState } from "preact/hooks";
import { useApi } from "../api/context.js";
import { Field } from "../components/Field.js";
import { ConsistencyBadge, ProblemBanner } from "../components/Status.js";
import { useRead } from "../components/useRead.js";
import { TaskForm } from "../components/TaskForm.js";
import { useTask } from "../components/useTask.js";
import { numberOf, restockBody } from "../schemas.js";
import type { Stock } from "../views.js";

/** A product's stock level (inventory's read model) and the restock task. */
export const StockPanel = ({ productId }: { productId: string }) => {
  const api = useApi();
  const stock = useRead(() => api.get<Stock>(`/v1/inventory/${productId}`), [productId]);
  const restock = useTask(restockBody);
  const [quantity, setQuantity] = useState("");
  const submit = async (event: Event) => {
    event.preventDefault();
    const answer = await restock.run({ quantity: numberOf(quantity) }, (body) => api.command(`/v1/inventory/${productId}/restock`, body));
    if (answer) {
      setQuantity("");
      stock.reload();
    }
  };
  const level = stock.answer?.body;
  return (
    <div class="card" aria-labelledby="stock">
      <h2 id="stock">Stock</h2>
      <ProblemBanner problem={stock.problem} />
      {stock.answer && level ? (
        <>
          <ConsistencyBadge consistency={stock.answer.consistency} elapsedMs={stock.answer.elapsedMs} />
          <dl data-testid="stock">
            <dt>On hand</dt>
            <dd data-testid="stock-on-hand">{level.onHand}</dd>
            <dt>Reserved</dt>
            <dd>{level.reserved}</dd>
            <dt>Available</dt>
            <dd data-testid="stock-available">{level.available}</dd>
          </dl>
        </>
      ) : null}
      <TaskForm id="restock" title="Restock" level={3} task={restock} onSubmit={submit} action="Restock">
        <Field name="quantity" label="Quantity" type="number" value={quantity} onInput={setQuantity} error={restock.errors.quantity} />
      </TaskForm>
    </div>
  );
};
