import type cassandra from "cassandra-driver";
import { ensureEventStoreSchema } from "./cassandraEventStore.js";
import { ensureOutboxSchema } from "./publication/outbox.js";
import { ensureSnapshotSchema } from "./snapshotStore.js";

/** Every table an event-sourced keyspace needs: events, snapshots, the publication outbox. */
export const ensureEventSourcingSchema = async (client: cassandra.Client, keyspace: string): Promise<void> => {
  await ensureEventStoreSchema(client, keyspace);
  await ensureSnapshotSchema(client, keyspace);
  await ensureOutboxSchema(client, keyspace);
};
