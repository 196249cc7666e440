/**
 * What other code may know of the catalog's write side: how a product's stream id is made (the
 * fault and retry tests read the event store by it). The prefix stays the catalog's own.
 */
export { isProductStream, productIdOfStream, productStreamId } from "./productStream.js";
