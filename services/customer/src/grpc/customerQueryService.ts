import { CustomerQueryServiceService, type Customer, type CustomerQueryServiceServer, type GetCustomerRequest } from "@bazaar/contracts/customer/v1";
import { consistencyFor } from "@bazaar/projections";
import { unary, type GrpcService, type Logger } from "@bazaar/runtime";
import { customerStreamId } from "../domain/customerStream.js";
import type { CustomerQueries, CustomerView } from "../query/customerQueries.js";
import { edgeChecks } from "./requestFields.js";

const toCustomer = (view: CustomerView): Customer => ({
  customerId: view.customerId,
  name: view.name,
  email: view.email,
  address: view.address,
  version: view.version,
});

/** The customer context's read API over gRPC, answered from the customer profile model. */
export const createCustomerQueryService = (deps: { queries: CustomerQueries; logger: Logger }): GrpcService => {
  const implementation: CustomerQueryServiceServer = {
    getCustomer: unary(deps.logger, async (request: GetCustomerRequest, _metadata, { signal }) => {
      const edge = edgeChecks();
      const customerId = edge.id(request.customerId, "customerId");
      edge.throwIfAny();
      const stale = await deps.queries.isStale(customerId, consistencyFor(customerStreamId(customerId), request.consistency), signal);
      return { customer: toCustomer(await deps.queries.get(customerId, signal)), stale };
    }),
  };
  return { name: "bazaar.customer.v1.CustomerQueryService", definition: CustomerQueryServiceService, implementation };
};
