import { ensureClaimsSchema } from "@bazaar/event-store";
import type { ServiceParts } from "@bazaar/service-kit";
import { createCustomerCommandHandlerFor, EMAIL_CLAIMS_TABLE } from "./application/customerCommandHandler.js";
import { createCustomerCommandService } from "./grpc/customerCommandService.js";
import { createCustomerQueryService } from "./grpc/customerQueryService.js";
import { publishedCustomerBody } from "./events/customerIntegrationEvents.js";
import { customerProfileProjection } from "./projections/customerProfileProjection.js";
import { createCustomerQueries } from "./query/customerQueries.js";

/** The customer context: customers, their profile model, and the gRPC APIs over both. */
export const customerService: ServiceParts = {
  context: "customer",
  defaults: { grpcPort: 50054, metricsPort: 9467 },
  projections: [customerProfileProjection],
  publishedBody: publishedCustomerBody,
  ensureSchema: (cassandra, keyspace) => ensureClaimsSchema(cassandra, keyspace, EMAIL_CLAIMS_TABLE),
  commands: (write) => [createCustomerCommandService({ handle: createCustomerCommandHandlerFor(write), logger: write.logger })],
  queries: (read) => [
    createCustomerQueryService({ queries: createCustomerQueries(read.es, read.topology.alias(customerProfileProjection.alias)), logger: read.logger }),
  ],
};
