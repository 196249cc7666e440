import { randomUUID } from "node:crypto";
import {
  CustomerCommandServiceService,
  type ChangeCustomerAddressRequest,
  type CustomerCommandServiceServer,
  type RegisterCustomerRequest,
} from "@bazaar/contracts/customer/v1";
import { eventMetadataFrom, unary, type GrpcService, type Logger } from "@bazaar/runtime";
import type { CustomerCommandHandler } from "../application/customerCommandHandler.js";
import { edgeChecks } from "./requestFields.js";

/** The customer context's write API over gRPC: requests become commands on customer streams. */
export const createCustomerCommandService = (deps: { handle: CustomerCommandHandler; logger: Logger }): GrpcService => {
  const implementation: CustomerCommandServiceServer = {
    registerCustomer: unary(deps.logger, async (request: RegisterCustomerRequest, metadata) => {
      const edge = edgeChecks();
      const customerId = edge.id(request.customerId || randomUUID(), "customerId");
      const address = edge.address(request.address);
      edge.throwIfAny();
      const result = await deps.handle.register(
        { type: "RegisterCustomer", data: { customerId, name: request.name, email: request.email, address } },
        { metadata: eventMetadataFrom(metadata, randomUUID()) },
      );
      return { customerId, position: { streamId: result.streamId, version: result.version } };
    }),

    changeCustomerAddress: unary(deps.logger, async (request: ChangeCustomerAddressRequest, metadata) => {
      const edge = edgeChecks();
      const customerId = edge.id(request.customerId, "customerId");
      const address = edge.address(request.address);
      edge.check(Number.isSafeInteger(request.expectedVersion) && request.expectedVersion >= 0, "expectedVersion", "must be 0 (any) or a stream version");
      edge.throwIfAny();
      const result = await deps.handle.changeAddress(
        { type: "ChangeCustomerAddress", data: { customerId, address } },
        // On the wire 0 means "any version"; to the handler, undefined does.
        { metadata: eventMetadataFrom(metadata, randomUUID()), expectedVersion: request.expectedVersion || undefined },
      );
      return { position: { streamId: result.streamId, version: result.version } };
    }),
  };
  return { name: "bazaar.customer.v1.CustomerCommandService", definition: CustomerCommandServiceService, implementation };
};
