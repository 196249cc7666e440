import { CustomerCommandServiceService, CustomerQueryServiceService } from "@bazaar/contracts/customer/v1";
import type { UnaryClient } from "@bazaar/runtime";
import { joinClients, type Connect, type ContextAddresses } from "./connect.js";

/** The gateway's view of the customer context: every call of its command and query services. */
export type CustomerClient = UnaryClient<typeof CustomerCommandServiceService> & UnaryClient<typeof CustomerQueryServiceService>;

export const createCustomerClient = (connect: Connect, addresses: ContextAddresses): CustomerClient =>
  joinClients(connect(CustomerCommandServiceService, addresses.commandAddress), connect(CustomerQueryServiceService, addresses.queryAddress));
