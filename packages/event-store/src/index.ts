export { createCassandraClaims, ensureClaimsSchema, withClaim, type UniqueClaims } from "./claims.js";
export {
  cassandraClientOptions,
  connectCassandra,
  ensureKeyspace,
  ensureKeyspaceRole,
  keyspaceRolePresent,
  serialConsistencyOf,
  type CassandraSettings,
} from "./cassandra.js";
export { withAppendSpans } from "./appendSpans.js";
export { createCassandraEventStore, ensureEventStoreSchema } from "./cassandraEventStore.js";
export { createCommandHandler, type Append, type CommandContext, type CommandResult, type SnapshotPolicy } from "./commandHandler.js";
export {
  createUpcaster,
  missingFromEventStore,
  NO_STREAM,
  noUpcast,
  type AppendResult,
  type EventStore,
  type ReadOptions,
  type Upcaster,
} from "./eventStore.js";
export { crashPoint, stallPoint } from "./faults.js";
export { createMemoryEventStore } from "./memoryEventStore.js";
export { createCassandraOutbox, ensureOutboxSchema, OUTBOX_TABLE, type Outbox, type PendingPublication } from "./publication/outbox.js";
export { createPublicationMetrics, type PublicationMetrics } from "./publication/publicationMetrics.js";
export { createReliablePublisher, type EventSink, type ReliablePublisher } from "./publication/reliablePublisher.js";
export { createRelay, startRelay, type Relay, type RelayOptions, type RelayPass, type RunningRelay } from "./publication/relay.js";
export { createCassandraSnapshotStore, createMemorySnapshotStore, ensureSnapshotSchema, type Snapshot, type SnapshotStore } from "./snapshotStore.js";
export { ensureEventSourcingSchema } from "./schema.js";
