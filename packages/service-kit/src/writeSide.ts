import {
  createCassandraEventStore,
  createCassandraOutbox,
  createCassandraSnapshotStore,
  createReliablePublisher,
  withAppendSpans,
  type PublicationMetrics,
} from "@bazaar/event-store";
import { createEventPublisher, type PublishedBody } from "@bazaar/messaging";
import type { Logger } from "@bazaar/runtime";
import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type cassandra from "cassandra-driver";
import type { WriteSide } from "./serviceParts.js";
import type { ContextTopology } from "./topology.js";

/**
 * A context's write side over its keyspace and stream: the event store and the reliable append
 * (store, then publish, recovered by the relay). Building it starts nothing; the relay that
 * recovers its publications is started by the caller with the parts returned here.
 */
export const createWriteSide = (deps: {
  cql: cassandra.Client;
  nats: NatsConnection;
  keyspace: string;
  topology: ContextTopology;
  snapshotEvery: number;
  metrics: PublicationMetrics;
  logger: Logger;
  publishedBody?: PublishedBody | undefined;
}) => {
  const { cql, keyspace, logger, metrics } = deps;
  const eventStore = withAppendSpans(createCassandraEventStore(cql, keyspace), keyspace);
  const outbox = createCassandraOutbox(cql, keyspace);
  const sink = createEventPublisher(jetstream(deps.nats), deps.topology.subjectFor, deps.publishedBody);
  const publisher = createReliablePublisher({
    eventStore,
    outbox,
    sink,
    metrics,
    onError: (err, streamId) => logger.warn({ err, streamId }, "publish failed; the relay will republish"),
  });
  const write: WriteSide = {
    eventStore,
    append: publisher.append,
    snapshots: createCassandraSnapshotStore(cql, keyspace),
    snapshotEvery: deps.snapshotEvery,
    cassandra: cql,
    keyspace,
    logger,
    onSnapshotError: (err) => logger.warn({ err }, "snapshot not saved"),
  };
  return { write, publisher, eventStore, outbox, sink };
};
