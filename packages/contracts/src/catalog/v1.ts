/** bazaar.catalog.v1: commands, queries and integration events of the catalog context. */
export * from "../gen/bazaar/catalog/v1/catalog_command_service.js";
export * from "../gen/bazaar/catalog/v1/catalog_query_service.js";
export * from "../gen/bazaar/catalog/v1/events.js";
export * from "../gen/bazaar/catalog/v1/product.js";
export * from "./productDescription.js";
