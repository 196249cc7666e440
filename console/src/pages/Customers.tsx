import { useState } from "preact/hooks";
import { useApi } from "../api/context.js";
import { AddressFields, EMPTY_ADDRESS } from "../components/AddressFields.js";
import { Field } from "../components/Field.js";
import { OpenById } from "../components/OpenById.js";
import { TaskForm } from "../components/TaskForm.js";
import { useTask } from "../components/useTask.js";
import { navigate } from "../router.js";
import { registerCustomerBody } from "../schemas.js";

/** Open a customer by id, or register one (staff). */
export const Customers = () => {
  const api = useApi();
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
      <OpenById name="customerId" label="Customer id" action="Open customer" onOpen={(id) => navigate("customers", id)} />
      <TaskForm id="register" title="Register a customer" task={task} onSubmit={submit} action="Register">
        <Field name="name" label="Name" value={name} onInput={setName} error={task.errors.name} />
        <Field name="email" label="Email" type="email" value={email} onInput={setEmail} error={task.errors.email} />
        <AddressFields value={address} onChange={setAddress} errors={task.errors} />
      </TaskForm>
    </section>
  );
};
