import { useState } from "preact/hooks";
import { useApi } from "../api/context.js";
import { Field } from "../components/Field.js";
import { ConsistencyBadge, ProblemBanner } from "../components/Status.js";
import { useRead } from "../components/useRead.js";
import { formatMoney } from "../schemas.js";
import type { HistoryEntry, Product } from "../views.js";
import { ProductTasks } from "./ProductTasks.js";
import { StockPanel } from "./StockPanel.js";

/** A product from the read model (or as of an instant, from the event store), its history, its tasks and its stock. */
export const ProductPage = ({ id }: { id: string }) => {
  const api = useApi();
  const [asOfDraft, setAsOfDraft] = useState("");
  const [asOf, setAsOf] = useState<string | undefined>();
  const product = useRead(() => api.get<Product>(`/v1/products/${id}`, { query: { asOf } }), [id, asOf]);
  const history = useRead(() => api.get<{ entries: HistoryEntry[] }>(`/v1/products/${id}/history`), [id]);
  const changed = () => {
    product.reload();
    history.reload();
  };
  const current = product.answer?.body;
  return (
    <section>
      <h1>{current ? current.name : "Product"}</h1>
      <ProblemBanner problem={product.problem} />
      {current ? (
        <div class="card" data-testid="product">
          {product.answer && !asOf ? <ConsistencyBadge consistency={product.answer.consistency} elapsedMs={product.answer.elapsedMs} /> : null}
          {asOf ? <p class="as-of">As of {asOf} (from the event store)</p> : null}
          <dl>
            <dt>Name</dt>
            <dd data-testid="product-name">{current.name}</dd>
            <dt>SKU</dt>
            <dd>{current.sku}</dd>
            <dt>Category</dt>
            <dd>{current.category}</dd>
            <dt>Price</dt>
            <dd data-testid="product-price">{formatMoney(current.price)}</dd>
            <dt>Status</dt>
            <dd data-testid="product-status">{current.status}</dd>
            <dt>Version</dt>
            <dd>{current.version}</dd>
          </dl>
        </div>
      ) : null}
      <form
        class="as-of-control"
        onSubmit={(event) => {
          event.preventDefault();
          setAsOf(asOfDraft ? new Date(asOfDraft).toISOString() : undefined);
        }}
      >
        <Field name="asOf" label="Show as of (local time)" type="datetime-local" value={asOfDraft} onInput={setAsOfDraft} />
        <button type="submit">Show as of</button>
        <button
          type="button"
          onClick={() => {
            setAsOfDraft("");
            setAsOf(undefined);
          }}
        >
          Now
        </button>
      </form>
      {current && !asOf ? <ProductTasks product={current} onChanged={changed} /> : null}
      <StockPanel productId={id} />
      <h2>History</h2>
      <ProblemBanner problem={history.problem} />
      <ol class="timeline" aria-label="Product history">
        {(history.answer?.body.entries ?? []).map((entry) => (
          <li key={entry.version}>
            <time dateTime={entry.recordedAt}>{new Date(entry.recordedAt).toLocaleString()}</time> <strong>v{entry.version}</strong> {entry.type}{" "}
            <span class="actor">by {entry.actor}</span>
            <pre>{JSON.stringify(entry.data)}</pre>
            <button type="button" class="link" onClick={() => setAsOf(entry.recordedAt)}>
              Show as of this event
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
};
