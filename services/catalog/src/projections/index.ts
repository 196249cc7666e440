export { catalogTopology, type CatalogTopology } from "../catalogTopology.js";
export { productSearchProjection, type ProductDocument } from "./productSearchProjection.js";
