export { planBatch, type BatchPlan, type Decision, type DocumentState, type Outcome } from "./batchPlan.js";
export { foldDocument, type DocumentProjection } from "./documentProjection.js";
export { eventDocumentProjection, type EventDocumentSpec, type Stamped } from "./eventDocumentProjection.js";
export {
  applyEvents,
  awaitConsistency,
  consistencyFor,
  DocumentCache,
  hasApplied,
  readDocuments,
  waitForApplied,
  waitForDocumentVersion,
} from "./documentWriter.js";
export { decodeCursor, encodeCursor, searchFrom } from "./cursor.js";
export { documentReads, pageLimit, pageOf, type Versioned } from "./documentQueries.js";
export {
  connectElasticsearch,
  ensureIndex,
  indicesOf,
  isStatus,
  newIndexName,
  putIndexTemplate,
  type ElasticsearchSettings,
  type IndexDefinition,
  type IndexOptions,
} from "./elasticsearch.js";
export { createProjectionMetrics, type ProjectionMetrics } from "./projectionMetrics.js";
export { projectorConsumer, startProjector, type Projector, type ProjectorLogger, type ProjectorOptions } from "./projector.js";
export { drained, rebuildProjection, type RebuildOptions, type RebuildReport } from "./rebuild.js";
export { verifyProjection, type Mismatch, type VerifyReport } from "./verify.js";
