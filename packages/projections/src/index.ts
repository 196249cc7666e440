export type { DocumentProjection } from "./documentProjection.js";
export { connectElasticsearch, ensureIndex, isStatus, type ElasticsearchSettings } from "./elasticsearch.js";
export { applyToDocument, startProjector, type Outcome, type Projector, type ProjectorLogger, type ProjectorOptions } from "./projector.js";
