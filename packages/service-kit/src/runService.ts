import { loadDescriptorSet } from "@bazaar/contracts/descriptors";
import {
  connectCassandra,
  createCassandraEventStore,
  createCassandraOutbox,
  createCassandraSnapshotStore,
  createPublicationMetrics,
  createReliablePublisher,
  ensureEventSourcingSchema,
  ensureKeyspace,
  missingFromEventStore,
  startRelay,
  type Append,
  type EventStore,
  type SnapshotStore,
} from "@bazaar/event-store";
import { connectNats, createConsumerMetrics, createEventPublisher, ensureStream, missingFromJetStream } from "@bazaar/messaging";
import { connectElasticsearch, createProjectionMetrics, ensureIndex, startProjector, type DocumentProjection } from "@bazaar/projections";
import {
  createLogger,
  createMetricsRegistry,
  onShutdown,
  startGrpcServer,
  startMetricsServer,
  type GrpcService,
  type Logger,
  type ShutdownStep,
} from "@bazaar/runtime";
import type { Client as Elasticsearch } from "@elastic/elasticsearch";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type cassandra from "cassandra-driver";
import { createCassandraCheckpoints, ensureCheckpointSchema, startReactor, type Reaction } from "./reactor.js";
import { loadServiceConfig, type ServiceConfig } from "./serviceConfig.js";
import { contextTopology, type ContextTopology } from "./topology.js";

/** What the command role hands a context: its event store and the reliable append. */
export interface WriteSide {
  eventStore: EventStore;
  append: Append;
  snapshots: SnapshotStore;
  snapshotEvery: number;
  cassandra: cassandra.Client;
  keyspace: string;
  logger: Logger;
  onSnapshotError: (error: unknown) => void;
}

/** What the query role hands a context: Elasticsearch, its namespaced aliases, NATS for event feeds. */
export interface ReadSide {
  es: Elasticsearch;
  nats: NatsConnection;
  topology: ContextTopology;
  namespace: string;
  logger: Logger;
  /** Registers work to stop at shutdown, before connections close (clients, subscriptions). */
  onShutdown(step: ShutdownStep): void;
}

export interface ServiceParts {
  context: string;
  defaults: { grpcPort: number; metricsPort: number };
  /** Read models, by their base (un-namespaced) names. */
  projections: DocumentProjection<object>[];
  /** Extra Cassandra tables the command role needs (e.g. uniqueness claims). */
  ensureSchema?: (cassandra: cassandra.Client, keyspace: string) => Promise<void>;
  commands: (write: WriteSide) => GrpcService[];
  queries: (read: ReadSide) => GrpcService[] | Promise<GrpcService[]>;
  /** Reactions to other contexts' events; they run in the projector role and write through `write`. */
  reactions?: (write: WriteSide) => Reaction[];
}

/**
 * The composition root every context shares: parse config, connect what the configured roles
 * need, set up schemas idempotently, serve gRPC (health + reflection), run projectors and the
 * relay, expose metrics, and shut down in order on SIGTERM.
 */
export const runService = async (parts: ServiceParts, config: ServiceConfig = loadServiceConfig(parts.context, parts.defaults)) => {
  const { roles, context } = config;
  const logger = createLogger(context, { roles: [...roles] });
  const registry = createMetricsRegistry(context);
  const topology = contextTopology(context, config.namespace, config.nats.streamReplicas);
  const bindings = parts.projections.map((projection) => topology.bind(projection));

  const nats = roles.size > 0 ? await connectNats({ servers: config.nats.servers, name: `${context}-${[...roles].join("+")}` }) : undefined;
  const es = roles.has("projector") || roles.has("query") ? connectElasticsearch(config.elasticsearch) : undefined;
  // Queries answer within the caller's budget: short attempts, one retry. (Projectors keep the
  // longer timeout: a bulk of 500 documents on a busy node may take seconds, and nobody waits.)
  const esQueries = roles.has("query") ? connectElasticsearch({ ...config.elasticsearch, requestTimeoutMs: config.elasticsearch.queryTimeoutMs }) : undefined;
  // Projectors read their own event store to fill gaps; reactions write through the command side.
  const cql = roles.has("command") || roles.has("projector") ? await connectCassandra(config.cassandra) : undefined;
  const reacting = roles.has("projector") && parts.reactions !== undefined;

  // Schema setup is idempotent, so every process of every role runs what it relies on.
  if (nats) await ensureStream(await jetstreamManager(nats), topology.stream);
  if (es) for (const { projection } of bindings) await ensureIndex(es, projection);
  const { keyspace } = config.cassandra;
  if (cql) {
    await ensureKeyspace(cql, keyspace, config.cassandra.replicationFactor);
    await ensureEventSourcingSchema(cql, keyspace);
    await parts.ensureSchema?.(cql, keyspace);
    if (parts.reactions) await ensureCheckpointSchema(cql, keyspace);
  }

  const services: GrpcService[] = [];
  let publication: { flush(): Promise<void>; stopRelay(): Promise<void> } | undefined;
  let write: WriteSide | undefined;
  if (cql && nats && (roles.has("command") || reacting)) {
    const eventStore = createCassandraEventStore(cql, keyspace);
    const outbox = createCassandraOutbox(cql, keyspace);
    const sink = createEventPublisher(jetstream(nats), topology.subjectFor);
    const metrics = createPublicationMetrics(registry);
    const publisher = createReliablePublisher({
      eventStore,
      outbox,
      sink,
      metrics,
      onError: (err, streamId) => logger.warn({ err, streamId }, "publish failed; the relay will republish"),
    });
    const relay = startRelay({ eventStore, outbox, sink, metrics, ...config.relay, onError: (err) => logger.warn({ err }, "relay pass failed") });
    publication = { flush: () => publisher.flush(), stopRelay: () => relay.stop() };
    write = {
      eventStore,
      append: publisher.append,
      snapshots: createCassandraSnapshotStore(cql, keyspace),
      snapshotEvery: config.snapshotEvery,
      cassandra: cql,
      keyspace,
      logger,
      onSnapshotError: (err) => logger.warn({ err }, "snapshot not saved"),
    };
    if (roles.has("command")) services.push(...parts.commands(write));
  }
  const extraSteps: ShutdownStep[] = [];
  if (roles.has("query") && esQueries && nats) {
    services.push(...(await parts.queries({ es: esQueries, nats, topology, namespace: config.namespace, logger, onShutdown: (step) => extraSteps.push(step) })));
  }
  const server = services.length > 0 ? await startGrpcServer({ ...config.grpc, services, descriptorSet: loadDescriptorSet(), logger }) : undefined;

  const consumerMetrics = createConsumerMetrics(registry);
  const projectionMetrics = createProjectionMetrics(registry);
  const projectors =
    roles.has("projector") && nats && es && cql
      ? await Promise.all(
          bindings.map(async (binding) =>
            startProjector({
              ...binding,
              js: jetstream(nats),
              jsm: await jetstreamManager(nats),
              es,
              missing: missingFromEventStore(createCassandraEventStore(cql, keyspace)),
              logger,
              metrics: projectionMetrics,
              consumerMetrics,
            }),
          ),
        )
      : [];
  const reactors =
    reacting && nats && cql && write
      ? await Promise.all(
          (parts.reactions?.(write) ?? []).map(async (reaction) => {
            const source = contextTopology(reaction.source, config.namespace, config.nats.streamReplicas);
            return startReactor({
              js: jetstream(nats),
              jsm: await jetstreamManager(nats),
              reaction,
              durable: topology.alias(`${context}-${reaction.name}`),
              stream: source.stream,
              missing: missingFromJetStream(jetstream(nats), source.stream.name, source.subjectOfStream),
              checkpoints: createCassandraCheckpoints(cql, keyspace),
              logger,
              metrics: consumerMetrics,
            });
          }),
        )
      : [];
  const metricsServer = await startMetricsServer({ ...config.metrics, registry });

  // Stop taking work first, then let in-flight work finish, then close connections.
  const steps: (ShutdownStep | false | undefined)[] = [
    server && { name: "grpc", run: () => server.shutdown() },
    ...projectors.map((projector) => ({ name: `projector ${projector.consumer}`, run: () => projector.stop() })),
    ...reactors.map((reactor) => ({ name: `reactor ${reactor.consumer}`, run: () => reactor.stop() })),
    ...extraSteps,
    publication && { name: "publications", run: () => publication.flush() },
    publication && { name: "relay", run: () => publication.stopRelay() },
    nats && { name: "nats", run: () => nats.drain() },
    cql && { name: "cassandra", run: () => cql.shutdown() },
    es && { name: "elasticsearch", run: () => es.close() },
    esQueries && { name: "elasticsearch (queries)", run: () => esQueries.close() },
    { name: "metrics", run: () => metricsServer.close() },
  ];
  onShutdown(logger, steps.filter((step): step is ShutdownStep => Boolean(step)));
  logger.info({ roles: [...roles], grpc: server?.port, metrics: `http://${config.metrics.host}:${metricsServer.port}/metrics` }, `${context} ready`);
};

/** Entry point helper: a start-up failure prints its message and exits 1. */
export const main = (parts: ServiceParts): void => {
  runService(parts).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
};
