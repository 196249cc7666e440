import { useState } from "preact/hooks";
import { Field } from "./Field.js";

/** A form that opens a page by the id typed into it (a customer, a saga). */
export const OpenById = ({ name, label, action, onOpen }: { name: string; label: string; action: string; onOpen: (id: string) => void }) => {
  const [id, setId] = useState("");
  return (
    <form
      class="lookup"
      onSubmit={(event) => {
        event.preventDefault();
        if (id.trim()) onOpen(id.trim());
      }}
    >
      <Field name={name} label={label} value={id} onInput={setId} />
      <button type="submit">{action}</button>
    </form>
  );
};
