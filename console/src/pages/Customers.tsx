import { useState } from "preact/hooks";
import { useApi } from "../api/context.js";
import { AddressFields, EMPTY_ADDRESS } from "../components/AddressFields.js";
import { Field } from "../components/Field.js";
import { ProblemBanner } from "../components/Status.js";
import { useTask } from "../components/useTask.js";
import { navigate } from "../router.js";
import { registerCustomerBody } from "../schemas.js";

/** Open a customer by id, or register one (staff). */
export const Customers = () => {
  const api = useApi();
  const [lookup, setLookup] = useState("");
  const task = useTask(registerCustomerBody);
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [address, setAddress] = useState(EMPTY_ADDRESS);
  const submit = async (event: Event) => {
    event.preventDefault();
    const answer = await task.run({ name, email, address }, (body) => api.command("/v1/customers", body));
    if (answer) navigate("customers", (answer.body as { id: string }).id);
  };
  return (
    <section>
      <h1>Customers</h1>
      <form
        class="lookup"
        onSubmit={(event) => {
          event.preventDefault();
          if (lookup.trim()) navigate("customers", lookup.trim());
        }}
      >
        <Field name="customerId" label="Customer id" value={lookup} onInput={setLookup} />
        <button type="submit">Open customer</button>
      </form>
      <form class="task" aria-labelledby="register" onSubmit={submit} noValidate>
        <h2 id="register">Register a customer</h2>
        <Field name="name" label="Name" value={name} onInput={setName} error={task.errors.name} />
        <Field name="email" label="Email" type="email" value={email} onInput={setEmail} error={task.errors.email} />
        <AddressFields value={address} onChange={setAddress} errors={task.errors} />
        <ProblemBanner problem={task.problem} />
        <button type="submit" disabled={task.pending}>
          Register
        </button>
      </form>
    </section>
  );
};
