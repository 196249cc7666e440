import type { CatalogClient } from "../../gateway/src/clients/catalogClient.js";
import type { CustomerClient } from "../../gateway/src/clients/customerClient.js";
import type { InventoryClient } from "../../gateway/src/clients/inventoryClient.js";
import type { OrderingClient } from "../../gateway/src/clients/orderingClient.js";
import type { Readiness } from "../../gateway/src/clients/readiness.js";
import type { SagaCoordinator } from "../../gateway/src/sagas/sagaCoordinator.js";
import { createScriptedClient, type RecordedCall } from "./scriptedClient.js";

/**
 * The gateway's downstreams (four contexts, the saga coordinator, readiness) as scripted clients:
 * `catalog.answer("createProduct", …)`, `ordering.fail("getOrder", new UnavailableError(…))`.
 * Every call lands in one `calls` list, so a test can prove a refused request called nothing.
 */
export const createScriptedDownstreams = () => {
  const calls: RecordedCall[] = [];
  const scripted = {
    catalog: createScriptedClient<CatalogClient>("catalog", calls),
    inventory: createScriptedClient<InventoryClient>("inventory", calls),
    customers: createScriptedClient<CustomerClient>("customers", calls),
    ordering: createScriptedClient<OrderingClient>("ordering", calls),
    sagas: createScriptedClient<SagaCoordinator>("sagas", calls),
    readiness: createScriptedClient<Readiness>("readiness", calls),
  };
  return {
    ...scripted,
    calls,
    /** The clients, shaped as the gateway's dependencies (`createApp`'s). */
    deps: {
      catalog: scripted.catalog.client,
      inventory: scripted.inventory.client,
      customers: scripted.customers.client,
      ordering: scripted.ordering.client,
      sagas: scripted.sagas.client,
      readiness: scripted.readiness.client,
    },
    /** The calls' names, in order (`catalog.createProduct`…). */
    called: () => calls.map((recorded) => recorded.call),
    /** The request of the last call to `call`; undefined when there was none. */
    lastRequest: (call: string) => calls.findLast((recorded) => recorded.call === call)?.request,
    /** Forgets every script and every recorded call. */
    reset() {
      calls.length = 0;
      for (const client of Object.values(scripted)) client.reset();
    },
  };
};

export type ScriptedDownstreams = ReturnType<typeof createScriptedDownstreams>;
