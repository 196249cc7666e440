/** bazaar.ordering.v1: commands, queries and integration events of the ordering context. */
export * from "../gen/bazaar/ordering/v1/events.js";
export * from "../gen/bazaar/ordering/v1/order.js";
export * from "../gen/bazaar/ordering/v1/ordering_command_service.js";
export * from "../gen/bazaar/ordering/v1/ordering_query_service.js";
