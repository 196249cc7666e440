/** The customer context's read models, for the `bazaar projections` CLI. */
export { customerService } from "../customerService.js";
export { customerProfileProjection, type CustomerProfileDocument } from "./customerProfileProjection.js";
