import { useState } from "preact/hooks";
import { useApi } from "../api/context.js";
import { Field, SyncOrAsyncChoice, type SyncOrAsync } from "../components/Field.js";
import { Notice } from "../components/Status.js";
import { TaskForm } from "../components/TaskForm.js";
import { useTask } from "../components/useTask.js";
import { href } from "../router.js";
import { changePriceBody, numberOf, renameProductBody } from "../schemas.js";
import { z } from "zod";
import type { Product } from "../views.js";

/** The tasks on one product: rename (async or sync saga), change its price, discontinue it. Each sends If-Match. */
export const ProductTasks = ({ product, onChanged }: { product: Product; onChanged: () => void }) => {
  const api = useApi();
  const rename = useTask(renameProductBody);
  const price = useTask(changePriceBody);
  const discontinue = useTask(z.strictObject({}));
  const [name, setName] = useState("");
  const [propagation, setPropagation] = useState<SyncOrAsync>("async");
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
    const answer = await price.run({ price: { amount: numberOf(amount), currency } }, (body) =>
      api.command(`${path}/change-price`, body, { version: product.version }),
    );
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
      <TaskForm id="rename" title="Rename" task={rename} onSubmit={submitRename} action="Rename">
        <Field name="name" label="New name" value={name} onInput={setName} error={rename.errors.name} />
        <SyncOrAsyncChoice
          name="propagation"
          legend="Propagation"
          value={propagation}
          onChange={setPropagation}
          labels={{ async: "Async (events)", sync: "Sync saga (everywhere before answering)" }}
        />
      </TaskForm>
      <TaskForm id="change-price" title="Change price" task={price} onSubmit={submitPrice} action="Change price">
        <Field name="price.amount" label="New price (cents)" type="number" value={amount} onInput={setAmount} error={price.errors["price.amount"]} />
        <Field name="price.currency" label="Currency" value={currency} onInput={setCurrency} error={price.errors["price.currency"]} />
      </TaskForm>
      <TaskForm
        id="discontinue"
        title="Discontinue"
        task={discontinue}
        onSubmit={submitDiscontinue}
        action="Discontinue"
        disabled={product.status === "DISCONTINUED"}
        noValidate={false}
      />
    </div>
  );
};
