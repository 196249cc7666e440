import { useState } from "preact/hooks";
import { useApi } from "../api/context.js";
import { Choice, Field } from "../components/Field.js";
import { Notice, ProblemBanner } from "../components/Status.js";
import { useTask } from "../components/useTask.js";
import { href } from "../router.js";
import { changePriceBody, numberOf, renameProductBody } from "../schemas.js";
import { z } from "zod";
import type { Product } from "../views.js";

type Propagation = "async" | "sync";

/** The tasks on one product: rename (async or sync saga), change its price, discontinue it. Each sends If-Match. */
export const ProductTasks = ({ product, onChanged }: { product: Product; onChanged: () => void }) => {
  const api = useApi();
  const rename = useTask(renameProductBody);
  const price = useTask(changePriceBody);
  const discontinue = useTask(z.strictObject({}));
  const [name, setName] = useState("");
  const [propagation, setPropagation] = useState<Propagation>("async");
  const [amount, setAmount] = useState("");
  const [currency, setCurrency] = useState(product.price?.currency ?? "EUR");
  const [notice, setNotice] = useState<string | undefined>();
  const [sagaId, setSagaId] = useState<string | undefined>();
  const path = `/v1/products/${product.id}`;

  const submitRename = async (event: Event) => {
    event.preventDefault();
    setSagaId(undefined);
    const answer = await rename.run({ name }, (body) => api.command(`${path}/rename`, body, { version: product.version, query: { propagation } }));
    if (!answer) return;
    const saga = (answer.body as { sagaId?: string }).sagaId;
    setSagaId(saga);
    setNotice(propagation === "sync" ? "Renamed everywhere (sync saga completed)." : "Rename accepted; the read models follow asynchronously.");
    onChanged();
  };
  const submitPrice = async (event: Event) => {
    event.preventDefault();
    const answer = await price.run({ price: { amount: numberOf(amount), currency } }, (body) => api.command(`${path}/change-price`, body, { version: product.version }));
    if (answer) {
      setNotice("Price changed.");
      onChanged();
    }
  };
  const submitDiscontinue = async (event: Event) => {
    event.preventDefault();
    const answer = await discontinue.run({}, () => api.command(`${path}/discontinue`, undefined, { version: product.version }));
    if (answer) {
      setNotice("Product discontinued.");
      onChanged();
    }
  };

  return (
    <div class="tasks">
      <Notice text={notice} />
      {sagaId ? (
        <p>
          Saga: <a href={href("sagas", sagaId)}>{sagaId}</a>
        </p>
      ) : null}
      <form class="task" aria-labelledby="rename" onSubmit={submitRename} noValidate>
        <h2 id="rename">Rename</h2>
        <Field name="name" label="New name" value={name} onInput={setName} error={rename.errors.name} />
        <Choice
          name="propagation"
          legend="Propagation"
          value={propagation}
          onChange={setPropagation}
          options={[
            { value: "async", label: "Async (events)" },
            { value: "sync", label: "Sync saga (everywhere before answering)" },
          ]}
        />
        <ProblemBanner problem={rename.problem} />
        <button type="submit" disabled={rename.pending}>
          Rename
        </button>
      </form>
      <form class="task" aria-labelledby="change-price" onSubmit={submitPrice} noValidate>
        <h2 id="change-price">Change price</h2>
        <Field name="price.amount" label="New price (cents)" type="number" value={amount} onInput={setAmount} error={price.errors["price.amount"]} />
        <Field name="price.currency" label="Currency" value={currency} onInput={setCurrency} error={price.errors["price.currency"]} />
        <ProblemBanner problem={price.problem} />
        <button type="submit" disabled={price.pending}>
          Change price
        </button>
      </form>
      <form class="task" aria-labelledby="discontinue" onSubmit={submitDiscontinue}>
        <h2 id="discontinue">Discontinue</h2>
        <ProblemBanner problem={discontinue.problem} />
        <button type="submit" disabled={discontinue.pending || product.status === "DISCONTINUED"}>
          Discontinue
        </button>
      </form>
    </div>
  );
};
