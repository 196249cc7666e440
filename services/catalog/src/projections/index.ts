/** The catalog's read models, for the `bazaar projections` CLI. */
export { catalogService } from "../catalogService.js";
export { productSearchProjection, type ProductDocument } from "./productSearchProjection.js";
