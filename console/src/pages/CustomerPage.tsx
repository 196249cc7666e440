import { useState } from "preact/hooks";
import { useApi } from "../api/context.js";
import { AddressFields, EMPTY_ADDRESS } from "../components/AddressFields.js";
import { ConsistencyBadge, Notice, ProblemBanner } from "../components/Status.js";
import { useRead } from "../components/useRead.js";
import { Table } from "../components/Table.js";
import { TaskForm } from "../components/TaskForm.js";
import { useTask } from "../components/useTask.js";
import { href } from "../router.js";
import { changeAddressBody, formatMoney } from "../schemas.js";
import type { Customer, Order } from "../views.js";
import { PlaceOrder } from "./PlaceOrder.js";

/** A customer, the "change address" task, their orders (with current product names) and "place an order". */
export const CustomerPage = ({ id }: { id: string }) => {
  const api = useApi();
  const customer = useRead(() => api.get<Customer>(`/v1/customers/${id}`), [id]);
  const orders = useRead(() => api.get<{ items: Order[]; total: number }>(`/v1/customers/${id}/orders`, { query: { limit: "50" } }), [id]);
  const task = useTask(changeAddressBody);
  const [address, setAddress] = useState(EMPTY_ADDRESS);
  const [notice, setNotice] = useState<string | undefined>();
  const current = customer.answer?.body;
  const submit = async (event: Event) => {
    event.preventDefault();
    const answer = await task.run({ address }, (body) => api.command(`/v1/customers/${id}/change-address`, body, { version: current?.version }));
    if (answer) {
      setNotice("Address changed.");
      customer.reload();
    }
  };
  return (
    <section>
      <h1>{current ? current.name : "Customer"}</h1>
      <ProblemBanner problem={customer.problem} />
      {current && customer.answer ? (
        <div class="card" data-testid="customer">
          <ConsistencyBadge consistency={customer.answer.consistency} elapsedMs={customer.answer.elapsedMs} />
          <dl>
            <dt>Email</dt>
            <dd>{current.email}</dd>
            <dt>Address</dt>
            <dd data-testid="customer-address">
              {current.address ? `${current.address.line1}, ${current.address.postalCode} ${current.address.city}, ${current.address.country}` : "—"}
            </dd>
            <dt>Id</dt>
            <dd>{current.id}</dd>
          </dl>
        </div>
      ) : null}
      <Notice text={notice} />
      <TaskForm id="change-address" title="Change address" task={task} onSubmit={submit} action="Change address">
        <AddressFields value={address} onChange={setAddress} errors={task.errors} />
      </TaskForm>
      <PlaceOrder customerId={id} onPlaced={orders.reload} />
      <h2>Orders</h2>
      <ProblemBanner problem={orders.problem} />
      <Table columns={["Order", "Products", "Total", "Status"]} caption="Orders of this customer">
        {(orders.answer?.body.items ?? []).map((order) => (
          <tr key={order.id}>
            <td>
              <a href={href("orders", order.id)}>{order.id.slice(0, 8)}</a>
            </td>
            <td>{order.lines.map((line) => `${line.quantity} × ${line.productName}`).join(", ")}</td>
            <td>{formatMoney(order.total)}</td>
            <td>{order.status}</td>
          </tr>
        ))}
      </Table>
    </section>
  );
};
