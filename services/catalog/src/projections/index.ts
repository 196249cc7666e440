import { CATALOG_STREAM } from "../catalogStreams.js";
import { productSearchProjection } from "./productSearchProjection.js";

/** The catalog's read models, as the projector role and the `bazaar projections` CLI run them. */
export const catalogProjections = [
  { projection: productSearchProjection, stream: CATALOG_STREAM.name, filterSubjects: CATALOG_STREAM.subjects },
];

export { productSearchProjection, type ProductDocument } from "./productSearchProjection.js";
