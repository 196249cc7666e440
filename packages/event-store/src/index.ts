export { connectCassandra, ensureKeyspace, type CassandraSettings } from "./cassandra.js";
export { createCassandraEventStore, ensureEventStoreSchema } from "./cassandraEventStore.js";
export { createCommandHandler, type CommandContext, type CommandResult, type EventSink } from "./commandHandler.js";
export { NO_STREAM, type AppendResult, type EventStore } from "./eventStore.js";
