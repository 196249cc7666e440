import { createCassandraEventStore, missingFromEventStore } from "@bazaar/event-store";
import { missingFromJetStream, type ConsumerMetrics } from "@bazaar/messaging";
import { startProjector, type ProjectionMetrics } from "@bazaar/projections";
import type { Logger } from "@bazaar/runtime";
import type { Client as Elasticsearch } from "@elastic/elasticsearch";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type cassandra from "cassandra-driver";
import { reactionSubscription } from "../provisioning.js";
import { createCassandraCheckpoints, startReactor } from "../reactor.js";
import type { ServiceConfig } from "../serviceConfig.js";
import type { RoleParts, ServiceParts, WriteSide } from "../serviceParts.js";
import type { ProjectionBinding } from "../topology.js";

/**
 * The projector role: one projector per read model (filling gaps from its own event store) and,
 * given the write side, one reactor per reaction to other contexts' events. It serves no gRPC;
 * its steps stop the projectors, then the reactors.
 */
export const startProjectorRole = async (deps: {
  parts: Pick<ServiceParts, "context" | "reactions" | "consumes">;
  config: ServiceConfig;
  bindings: ProjectionBinding[];
  nats: NatsConnection;
  es: Elasticsearch;
  cql: cassandra.Client;
  /** Present when the context has reactions: they write through it. */
  write: WriteSide | undefined;
  metrics: { projection: ProjectionMetrics; consumer: ConsumerMetrics };
  logger: Logger;
}): Promise<RoleParts> => {
  const { parts, config, nats, es, cql, write, metrics, logger } = deps;
  const { keyspace } = config.cassandra;
  const projectors = await Promise.all(
    deps.bindings.map(async (binding) =>
      startProjector({
        ...binding,
        js: jetstream(nats),
        jsm: await jetstreamManager(nats),
        es,
        missing: missingFromEventStore(createCassandraEventStore(cql, keyspace)),
        logger,
        metrics: metrics.projection,
        consumerMetrics: metrics.consumer,
        create: config.provisioning.create,
      }),
    ),
  );
  const reactors = write
    ? await Promise.all(
        (parts.reactions?.(write) ?? []).map(async (reaction) => {
          if (!parts.consumes?.includes(reaction.source))
            throw new Error(`${parts.context}'s reaction ${reaction.name} reads ${reaction.source}, which ${parts.context} does not declare in consumes`);
          const { durable, source, subjectOfStream } = reactionSubscription(parts.context, config, reaction);
          return startReactor({
            js: jetstream(nats),
            jsm: await jetstreamManager(nats),
            reaction,
            durable,
            stream: source,
            missing: missingFromJetStream(jetstream(nats), source.name, subjectOfStream),
            checkpoints: createCassandraCheckpoints(cql, keyspace),
            logger,
            metrics: metrics.consumer,
            create: config.provisioning.create,
          });
        }),
      )
    : [];
  return {
    services: [],
    steps: [
      ...projectors.map((projector) => ({ name: `projector ${projector.consumer}`, run: () => projector.stop() })),
      ...reactors.map((reactor) => ({ name: `reactor ${reactor.consumer}`, run: () => reactor.stop() })),
    ],
  };
};
