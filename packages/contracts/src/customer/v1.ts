/** bazaar.customer.v1: commands, queries and integration events of the customer context. */
export * from "../gen/bazaar/customer/v1/customer.js";
export * from "../gen/bazaar/customer/v1/customer_command_service.js";
export * from "../gen/bazaar/customer/v1/customer_query_service.js";
export * from "../gen/bazaar/customer/v1/events.js";
