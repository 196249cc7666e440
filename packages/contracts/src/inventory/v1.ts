/** bazaar.inventory.v1: commands, queries and integration events of the inventory context. */
export * from "../gen/bazaar/inventory/v1/events.js";
export * from "../gen/bazaar/inventory/v1/inventory_command_service.js";
export * from "../gen/bazaar/inventory/v1/inventory_query_service.js";
export * from "../gen/bazaar/inventory/v1/stock.js";
