import { loadDescriptorSet } from "@bazaar/contracts/descriptors";
import {
  connectCassandra,
  createCassandraEventStore,
  createPublicationMetrics,
  missingFromEventStore,
  startRelay,
  type Append,
  type EventStore,
  type SnapshotStore,
} from "@bazaar/event-store";
import { connectNats, createConsumerMetrics, missingFromJetStream, type PublishedBody } from "@bazaar/messaging";
import { connectElasticsearch, createProjectionMetrics, startProjector, type DocumentProjection } from "@bazaar/projections";
import {
  createLogger,
  createMetricsRegistry,
  onShutdown,
  serviceClientOptions,
  startGrpcServer,
  startMetricsServer,
  startTracing,
  type GrpcService,
  type Logger,
  type ShutdownStep,
} from "@bazaar/runtime";
import type { Client as Elasticsearch } from "@elastic/elasticsearch";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type cassandra from "cassandra-driver";
import { indexProvisioning, keyspaceProvisioning, reactionSubscription, settleProvisioning, streamProvisioning } from "./provisioning.js";
import { createCassandraCheckpoints, startReactor, type Reaction } from "./reactor.js";
import { loadServiceConfig, type ServiceConfig } from "./serviceConfig.js";
import { contextTopology, type ContextTopology } from "./topology.js";
import { createWriteSide } from "./writeSide.js";

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
  /** Options for a gRPC client to another context: this context's service token on every call. */
  clientOptions: ReturnType<typeof serviceClientOptions>;
  /** Whether streams it reads may be created here (`BAZAAR_PROVISIONING=create`) or must be there. */
  provisioning: { create: boolean };
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
  /**
   * The contexts whose events this one reads (its reactions' sources, its change feeds): what its
   * NATS user may read (`bazaar nats-auth`). A reaction on any other source refuses to start.
   */
  consumes?: readonly string[];
  /** What each event is published as (its integration message); unset, the stored data. */
  publishedBody?: PublishedBody;
}

/**
 * The composition root every context shares: parse config, connect what the configured roles
 * need, set up schemas idempotently, serve gRPC (health + reflection), run projectors and the
 * relay, expose metrics, and shut down in order on SIGTERM.
 */
export const runService = async (parts: ServiceParts, config: ServiceConfig = loadServiceConfig(parts.context, parts.defaults)) => {
  const { roles, context } = config;
  const logger = createLogger(context, { roles: [...roles] });
  const tracing = startTracing(config.tracing, { serviceName: context, attributes: { "bazaar.roles": [...roles].join(","), ...(config.namespace ? { "service.namespace": config.namespace } : {}) } });
  const registry = createMetricsRegistry(context);
  const topology = contextTopology(context, config.namespace, config.nats.streamReplicas);
  const bindings = parts.projections.map((projection) => topology.bind(projection));

  const nats = roles.size > 0 ? await connectNats({ ...config.nats, name: `${context}-${[...roles].join("+")}` }) : undefined;
  const es = roles.has("projector") || roles.has("query") ? connectElasticsearch(config.elasticsearch) : undefined;
  // Queries answer within the caller's budget: short attempts, one retry. (Projectors keep the
  // longer timeout: a bulk of 500 documents on a busy node may take seconds, and nobody waits.)
  const esQueries = roles.has("query") ? connectElasticsearch({ ...config.elasticsearch, requestTimeoutMs: config.elasticsearch.queryTimeoutMs }) : undefined;
  // Projectors read their own event store to fill gaps; reactions write through the command side.
  const cql = roles.has("command") || roles.has("projector") ? await connectCassandra(config.cassandra) : undefined;
  const reacting = roles.has("projector") && parts.reactions !== undefined;

  // What every process of every role relies on, by the steps `bazaar migrate` runs: checked, or
  // created (`BAZAAR_PROVISIONING`; development's default); consumers are set up as they start.
  const { keyspace } = config.cassandra;
  await settleProvisioning(
    [
      ...(nats ? streamProvisioning(await jetstreamManager(nats), topology.stream) : []),
      ...(es ? indexProvisioning(es, bindings, config.elasticsearch.replicas) : []),
      ...(cql ? keyspaceProvisioning(parts, cql, keyspace, config.cassandra.replicationFactor) : []),
    ],
    config.provisioning,
  );

  const services: GrpcService[] = [];
  let publication: { flush(): Promise<void>; stopRelay(): Promise<void> } | undefined;
  let write: WriteSide | undefined;
  if (cql && nats && (roles.has("command") || reacting)) {
    const metrics = createPublicationMetrics(registry);
    const side = createWriteSide({ cql, nats, keyspace, topology, snapshotEvery: config.snapshotEvery, metrics, logger, publishedBody: parts.publishedBody });
    const { eventStore, outbox, sink, publisher } = side;
    const relay = startRelay({ eventStore, outbox, sink, metrics, ...config.relay, onError: (err) => logger.warn({ err }, "relay pass failed") });
    publication = { flush: () => publisher.flush(), stopRelay: () => relay.stop() };
    write = side.write;
    if (roles.has("command")) services.push(...parts.commands(write));
  }
  const extraSteps: ShutdownStep[] = [];
  if (roles.has("query") && esQueries && nats) {
    const clientOptions = serviceClientOptions({ secret: config.serviceAuth.secret, caller: parts.context });
    services.push(...(await parts.queries({ es: esQueries, nats, topology, namespace: config.namespace, logger, onShutdown: (step) => extraSteps.push(step), clientOptions, provisioning: config.provisioning })));
  }
  const server =
    services.length > 0
      ? await startGrpcServer({
          ...config.grpc,
          services,
          descriptorSet: loadDescriptorSet(),
          logger,
          // Only the gateway authenticated a user: only its x-actor names one.
          auth: { secret: config.serviceAuth.secret, trustActorFrom: new Set(["gateway"]) },
          reflection: config.serviceAuth.development,
          metrics: registry,
        })
      : undefined;

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
              create: config.provisioning.create,
            }),
          ),
        )
      : [];
  const reactors =
    reacting && nats && cql && write
      ? await Promise.all(
          (parts.reactions?.(write) ?? []).map(async (reaction) => {
            if (!parts.consumes?.includes(reaction.source)) throw new Error(`${context}'s reaction ${reaction.name} reads ${reaction.source}, which ${context} does not declare in consumes`);
            const { durable, source, subjectOfStream } = reactionSubscription(context, config, reaction);
            return startReactor({
              js: jetstream(nats),
              jsm: await jetstreamManager(nats),
              reaction,
              durable,
              stream: source,
              missing: missingFromJetStream(jetstream(nats), source.name, subjectOfStream),
              checkpoints: createCassandraCheckpoints(cql, keyspace),
              logger,
              metrics: consumerMetrics,
              create: config.provisioning.create,
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
    // Last: the spans of everything above are exported before the process ends.
    { name: "tracing", run: () => tracing.shutdown() },
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
