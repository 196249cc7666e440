/** The inventory's read models, for the `bazaar projections` CLI. */
export { inventoryService } from "../inventoryService.js";
export { stockLevelProjection, type StockLevelDocument } from "./stockLevelProjection.js";
