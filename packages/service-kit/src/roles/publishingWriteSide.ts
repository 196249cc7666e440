import { startRelay, type PublicationMetrics } from "@bazaar/event-store";
import type { Logger, ShutdownStep } from "@bazaar/runtime";
import type { NatsConnection } from "@nats-io/transport-node";
import type cassandra from "cassandra-driver";
import type { ServiceConfig } from "../serviceConfig.js";
import type { ServiceParts, WriteSide } from "../serviceParts.js";
import type { ContextTopology } from "../topology.js";
import { createWriteSide } from "../writeSide.js";

/**
 * The write side with its relay running, for the command role and for reactions (which write
 * through it in the projector role): what they append is published, and recovered if it was not.
 * Its steps finish the publications in flight, then stop the relay.
 */
export const startPublishingWriteSide = (deps: {
  parts: Pick<ServiceParts, "publishedBody">;
  config: ServiceConfig;
  cql: cassandra.Client;
  nats: NatsConnection;
  topology: ContextTopology;
  metrics: PublicationMetrics;
  logger: Logger;
}): { write: WriteSide; steps: ShutdownStep[] } => {
  const { config, metrics, logger } = deps;
  const side = createWriteSide({
    cql: deps.cql,
    nats: deps.nats,
    keyspace: config.cassandra.keyspace,
    topology: deps.topology,
    snapshotEvery: config.snapshotEvery,
    metrics,
    logger,
    publishedBody: deps.parts.publishedBody,
  });
  const { eventStore, outbox, sink, publisher } = side;
  const relay = startRelay({ eventStore, outbox, sink, metrics, ...config.relay, onError: (err) => logger.warn({ err }, "relay pass failed") });
  return {
    write: side.write,
    steps: [
      { name: "publications", run: () => publisher.flush() },
      { name: "relay", run: () => relay.stop() },
    ],
  };
};
