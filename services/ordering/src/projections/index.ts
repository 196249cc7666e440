/** The ordering context's read models, for the `bazaar projections` CLI. */
export { orderingService } from "../orderingService.js";
export { orderViewProjection, type OrderDocument } from "./orderViewProjection.js";
