import { randomUUID } from "node:crypto";
import { CatalogCommandServiceClient, CatalogQueryServiceClient } from "@bazaar/contracts/catalog/v1";
import { callUnary, DEV_SERVICE_AUTH_SECRET, serviceClientOptions } from "@bazaar/runtime";
import { uniqueName, waitFor } from "@bazaar/testing";
import { credentials } from "@grpc/grpc-js";

/**
 * What a test's own gRPC client passes to call a context as the gateway does: the service token
 * of the caller `gateway`, signed with development mode's secret (the contexts under test run in
 * development mode), so the caller's x-actor is believed.
 */
export const asGateway = [credentials.createInsecure(), serviceClientOptions({ secret: DEV_SERVICE_AUTH_SECRET, caller: "gateway" })] as const;

/** A catalog's command API at `commandAddress` and query API at `queryAddress` (one process serving both, or two), called as the gateway. */
export const catalogClients = (commandAddress: string, queryAddress = commandAddress) => {
  const commands = new CatalogCommandServiceClient(commandAddress, ...asGateway);
  const queries = new CatalogQueryServiceClient(queryAddress, ...asGateway);
  return {
    /** Creates a kitchen product called `name` at `cents` EUR, with a SKU of its own; its id. */
    async createProduct(name: string, cents: number): Promise<string> {
      const productId = randomUUID();
      await callUnary(
        commands.createProduct.bind(commands),
        { productId, sku: uniqueName("SKU"), name, description: "", category: "kitchen", price: { amount: cents, currency: "EUR" }, attributes: {} },
        { timeoutMs: 10_000 },
      );
      return productId;
    },
    /** The product as the query API serves it, once its read model has it. */
    productOnceProjected: (productId: string) =>
      waitFor(
        `product ${productId} in the search model`,
        async () => (await callUnary(queries.getProduct.bind(queries), { productId }, { timeoutMs: 5_000 }).catch(() => undefined))?.product,
        { timeoutMs: 30_000 },
      ),
    close() {
      commands.close();
      queries.close();
    },
  };
};
