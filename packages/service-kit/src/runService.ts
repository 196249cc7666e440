import { loadDescriptorSet } from "@bazaar/contracts/descriptors";
import { connectCassandra, createPublicationMetrics } from "@bazaar/event-store";
import { connectNats, createConsumerMetrics } from "@bazaar/messaging";
import { connectElasticsearch, createProjectionMetrics } from "@bazaar/projections";
import { createLogger, createMetricsRegistry, onShutdown, startGrpcServer, startMetricsServer, startTracing, type ShutdownStep } from "@bazaar/runtime";
import { jetstreamManager } from "@nats-io/jetstream";
import { indexProvisioning, keyspaceProvisioning, settleProvisioning, streamProvisioning } from "./provisioning.js";
import { buildCommandRole } from "./roles/commandRole.js";
import { startProjectorRole } from "./roles/projectorRole.js";
import { startPublishingWriteSide } from "./roles/publishingWriteSide.js";
import { buildQueryRole } from "./roles/queryRole.js";
import { loadServiceConfig, type ServiceConfig } from "./serviceConfig.js";
import type { RoleParts, ServiceParts } from "./serviceParts.js";
import { contextTopology } from "./topology.js";

// provisioning.ts and commandHandlerFor.ts import these from here.
export type { ReadSide, ServiceParts, WriteSide } from "./serviceParts.js";

/**
 * The composition root every context shares: parse config, connect what the configured roles
 * need, set up schemas idempotently, serve gRPC (health + reflection), run projectors and the
 * relay, expose metrics, and shut down in order on SIGTERM.
 */
export const runService = async (parts: ServiceParts, config: ServiceConfig = loadServiceConfig(parts.context, parts.defaults)) => {
  const { roles, context } = config;
  const logger = createLogger(context, { roles: [...roles] });
  const tracing = startTracing(config.tracing, {
    serviceName: context,
    attributes: { "bazaar.roles": [...roles].join(","), ...(config.namespace ? { "service.namespace": config.namespace } : {}) },
  });
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

  // One builder per role, each with its services and shutdown steps; the write side is the
  // command role's and, in the projector role, the reactions'.
  const none: RoleParts = { services: [], steps: [] };
  const writeSide =
    cql && nats && (roles.has("command") || reacting)
      ? startPublishingWriteSide({ parts, config, cql, nats, topology, metrics: createPublicationMetrics(registry), logger })
      : undefined;
  const command = roles.has("command") && writeSide ? buildCommandRole(parts, writeSide.write) : none;
  const query =
    roles.has("query") && esQueries && nats ? await buildQueryRole({ parts, config, es: esQueries, nats, topology, logger, metrics: registry }) : none;
  const services = [...command.services, ...query.services];
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

  const metrics = { consumer: createConsumerMetrics(registry), projection: createProjectionMetrics(registry) };
  const projector =
    roles.has("projector") && nats && es && cql
      ? await startProjectorRole({ parts, config, bindings, nats, es, cql, write: reacting ? writeSide?.write : undefined, metrics, logger })
      : none;
  const metricsServer = await startMetricsServer({ ...config.metrics, registry });

  // Stop taking work first, then let in-flight work finish, then close connections.
  const steps: (ShutdownStep | false | undefined)[] = [
    server && { name: "grpc", run: () => server.shutdown() },
    ...projector.steps,
    ...command.steps,
    ...query.steps,
    ...(writeSide?.steps ?? []),
    nats && { name: "nats", run: () => nats.drain() },
    cql && { name: "cassandra", run: () => cql.shutdown() },
    es && { name: "elasticsearch", run: () => es.close() },
    esQueries && { name: "elasticsearch (queries)", run: () => esQueries.close() },
    { name: "metrics", run: () => metricsServer.close() },
    // Last: the spans of everything above are exported before the process ends.
    { name: "tracing", run: () => tracing.shutdown() },
  ];
  onShutdown(
    logger,
    steps.filter((step): step is ShutdownStep => Boolean(step)),
  );
  logger.info({ roles: [...roles], grpc: server?.port, metrics: `http://${config.metrics.host}:${metricsServer.port}/metrics` }, `${context} ready`);
};

/** Entry point helper: a start-up failure prints its message and exits 1. */
export const main = (parts: ServiceParts): void => {
  runService(parts).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
};
