import { useState } from "preact/hooks";
import { useApi } from "../api/context.js";
import { fieldErrorsOf } from "../api/problem.js";
import { Field } from "../components/Field.js";
import { ConsistencyBadge, ProblemBanner } from "../components/Status.js";
import { useRead } from "../components/useRead.js";
import { Table } from "../components/Table.js";
import { TaskForm } from "../components/TaskForm.js";
import { useTask } from "../components/useTask.js";
import { href, navigate } from "../router.js";
import { createProductBody, formatMoney, numberOf } from "../schemas.js";
import type { Bucket, SearchResult } from "../views.js";

interface Search {
  q: string;
  category?: string | undefined;
  status?: string | undefined;
  minPrice?: string | undefined;
  maxPrice?: string | undefined;
  sort: string;
}

/** The price range's two bounds: a number field each, minor units. */
const PRICE_BOUNDS = [
  ["minPrice", "Minimum price (cents)"],
  ["maxPrice", "Maximum price (cents)"],
] as const;

/** A facet's buckets as toggles: pressing one filters by it, pressing it again lifts the filter. */
const FacetButtons = ({ buckets, selected, onChange }: { buckets: Bucket[]; selected: string | undefined; onChange: (key: string | undefined) => void }) => (
  <ul>
    {buckets.map((bucket) => (
      <li key={bucket.key}>
        <button type="button" aria-pressed={selected === bucket.key} onClick={() => onChange(selected === bucket.key ? undefined : bucket.key)}>
          {bucket.key} ({bucket.count})
        </button>
      </li>
    ))}
  </ul>
);

/** Product search (full text, facets, price ranges) and the "add a product" task. */
export const Products = () => {
  const api = useApi();
  const [draft, setDraft] = useState<Search>({ q: "", sort: "relevance" });
  const [search, setSearch] = useState<Search>(draft);
  const result = useRead(() => api.get<SearchResult>("/v1/products", { query: { ...search, limit: "20" } }), [JSON.stringify(search)]);
  const refine = (change: Partial<Search>) => {
    const next = { ...search, ...change };
    setDraft(next);
    setSearch(next);
  };
  const facets = result.answer?.body.facets;
  // Rules only the catalog knows (e.g. a minimum above the maximum) come back as field errors.
  const errors = result.problem ? fieldErrorsOf(result.problem) : {};
  return (
    <section>
      <h1>Products</h1>
      <form
        class="search"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setSearch(draft);
        }}
      >
        <Field name="q" label="Search text" value={draft.q} onInput={(q) => setDraft({ ...draft, q })} error={errors.q} />
        {PRICE_BOUNDS.map(([bound, label]) => (
          <Field
            key={bound}
            name={bound}
            label={label}
            type="number"
            value={draft[bound] ?? ""}
            onInput={(value) => setDraft({ ...draft, [bound]: value })}
            error={errors[bound]}
          />
        ))}
        <div class="field">
          <label for="sort">Sort by</label>
          <select id="sort" value={draft.sort} onChange={(event) => setDraft({ ...draft, sort: event.currentTarget.value })}>
            {["relevance", "name", "price-asc", "price-desc", "newest"].map((sort) => (
              <option key={sort} value={sort}>
                {sort}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Search</button>
      </form>
      <ProblemBanner problem={result.problem} />
      {facets ? (
        <nav class="facets" aria-label="Facets">
          <h2>Categories</h2>
          <FacetButtons buckets={facets.categories} selected={search.category} onChange={(category) => refine({ category })} />
          <h2>Price ranges</h2>
          <ul>
            {facets.priceRanges.map((range) => (
              <li key={range.key}>
                <button type="button" onClick={() => refine({ minPrice: range.from?.toString(), maxPrice: range.to?.toString() })}>
                  {range.key} ({range.count})
                </button>
              </li>
            ))}
          </ul>
          <h2>Status</h2>
          <FacetButtons buckets={facets.statuses} selected={search.status} onChange={(status) => refine({ status })} />
        </nav>
      ) : null}
      {result.answer ? (
        <div class="results">
          <ConsistencyBadge consistency={result.answer.consistency} elapsedMs={result.answer.elapsedMs} />
          <p>{result.answer.body.total} products</p>
          <Table columns={["Name", "SKU", "Category", "Price", "Status"]} caption="Search results">
            {result.answer.body.items.map((product) => (
              <tr key={product.id}>
                <td>
                  <a href={href("products", product.id)}>{product.name}</a>
                </td>
                <td>{product.sku}</td>
                <td>{product.category}</td>
                <td>{formatMoney(product.price)}</td>
                <td>{product.status}</td>
              </tr>
            ))}
          </Table>
        </div>
      ) : null}
      <AddProduct />
    </section>
  );
};

const AddProduct = () => {
  const api = useApi();
  const task = useTask(createProductBody);
  const [form, setForm] = useState({ sku: "", name: "", description: "", category: "", amount: "", currency: "EUR" });
  const set = (key: keyof typeof form) => (value: string) => setForm({ ...form, [key]: value });
  const submit = async (event: Event) => {
    event.preventDefault();
    const input = {
      sku: form.sku,
      name: form.name,
      description: form.description,
      category: form.category,
      price: { amount: numberOf(form.amount), currency: form.currency },
    };
    const answer = await task.run(input, (body) => api.command("/v1/products", body));
    if (answer) navigate("products", (answer.body as { id: string }).id);
  };
  return (
    <TaskForm id="add-product" title="Add a product" task={task} onSubmit={submit} action="Add product">
      <Field name="sku" label="SKU" value={form.sku} onInput={set("sku")} error={task.errors.sku} />
      <Field name="name" label="Name" value={form.name} onInput={set("name")} error={task.errors.name} />
      <Field name="description" label="Description" value={form.description} onInput={set("description")} error={task.errors.description} />
      <Field name="category" label="Category" value={form.category} onInput={set("category")} error={task.errors.category} />
      <Field
        name="price.amount"
        label="Price (cents)"
        type="number"
        value={form.amount}
        onInput={set("amount")}
        error={task.errors["price.amount"] ?? task.errors.price}
      />
      <Field name="price.currency" label="Currency" value={form.currency} onInput={set("currency")} error={task.errors["price.currency"]} />
    </TaskForm>
  );
};
