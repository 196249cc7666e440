import { ensureEventSourcingSchema, ensureKeyspace } from "@bazaar/event-store";
import { ensureStream, provisionConsumer, type StreamSettings } from "@bazaar/messaging";
import { ensureIndex, projectorConsumer } from "@bazaar/projections";
import type { Client as Elasticsearch } from "@elastic/elasticsearch";
import type { JetStreamManager } from "@nats-io/jetstream";
import type cassandra from "cassandra-driver";
import { ensureCheckpointSchema, reactorConsumer, type Reaction } from "./reactor.js";
import type { ServiceParts } from "./runService.js";
import type { ServiceSettings } from "./serviceConfig.js";
import { contextTopology, type ContextTopology, type ProjectionBinding } from "./topology.js";

/** One idempotent piece of schema or topology on one data store, described for a dry run. */
export interface ProvisioningStep {
  store: "cassandra" | "nats" | "elasticsearch";
  what: string;
  run(): Promise<void>;
}

/** Runs steps one after the other: later steps rely on earlier ones (a consumer on its stream). */
export const runProvisioning = async (steps: readonly ProvisioningStep[]): Promise<void> => {
  for (const step of steps) await step.run();
};

/** A context's keyspace and every table its processes use in it. */
export const keyspaceProvisioning = (parts: ServiceParts, cql: cassandra.Client, keyspace: string, replicationFactor: number): ProvisioningStep[] => {
  const steps: ProvisioningStep[] = [
    { store: "cassandra", what: `keyspace ${keyspace} (replication factor ${replicationFactor})`, run: () => ensureKeyspace(cql, keyspace, replicationFactor) },
    { store: "cassandra", what: `${keyspace}: event store, snapshot and publication tables`, run: () => ensureEventSourcingSchema(cql, keyspace) },
  ];
  const { ensureSchema } = parts;
  if (ensureSchema) steps.push({ store: "cassandra", what: `${keyspace}: ${parts.context}'s own tables`, run: () => ensureSchema(cql, keyspace) });
  if (parts.reactions) steps.push({ store: "cassandra", what: `${keyspace}: reaction checkpoints`, run: () => ensureCheckpointSchema(cql, keyspace) });
  return steps;
};

/** The context's own JetStream stream. */
export const streamProvisioning = (jsm: JetStreamManager, stream: StreamSettings): ProvisioningStep[] => [
  { store: "nats", what: `stream ${stream.name} (${stream.subjects.join(", ")}; replicas ${stream.replicas ?? "as they are"})`, run: () => ensureStream(jsm, stream) },
];

/** Index templates, and the first index behind each read model's alias. */
export const indexProvisioning = (es: Elasticsearch, bindings: readonly ProjectionBinding[], replicas: number): ProvisioningStep[] =>
  bindings.map(({ projection }) => ({
    store: "elasticsearch",
    what: `index template ${projection.alias} (${replicas} replicas) and alias ${projection.alias}`,
    run: () => ensureIndex(es, projection, { replicas }),
  }));

/** Where a context's reaction reads: the source context's stream, through a durable consumer of its own. */
export const reactionSubscription = (context: string, config: Pick<ServiceSettings, "namespace" | "nats">, reaction: Pick<Reaction, "name" | "source">) => {
  const source = contextTopology(reaction.source, config.namespace, config.nats.streamReplicas);
  return { durable: contextTopology(context, config.namespace).alias(`${context}-${reaction.name}`), source: source.stream, subjectOfStream: source.subjectOfStream };
};

/** The durable consumers of a context's projectors and reactions (with the dead-letter stream they write to). */
export const consumerProvisioning = (
  jsm: JetStreamManager,
  context: string,
  config: Pick<ServiceSettings, "namespace" | "nats">,
  bindings: readonly ProjectionBinding[],
  reactions: readonly Pick<Reaction, "name" | "source">[],
): ProvisioningStep[] => [
  ...bindings.map((binding): ProvisioningStep => {
    const settings = projectorConsumer(binding);
    return { store: "nats", what: `consumer ${settings.durable} on ${settings.stream} (projector)`, run: async () => void (await provisionConsumer(jsm, settings)) };
  }),
  ...reactions.flatMap((reaction): ProvisioningStep[] => {
    const { durable, source } = reactionSubscription(context, config, reaction);
    return [
      // The source context's own steps create it too; the reaction does not wait for them.
      ...streamProvisioning(jsm, source),
      { store: "nats", what: `consumer ${durable} on ${source.name} (reaction)`, run: async () => void (await provisionConsumer(jsm, reactorConsumer(durable, source))) },
    ];
  }),
];

/**
 * Everything a context's processes create at start, in one list: its keyspace and tables, its
 * stream, its read models' templates and aliases, and the durable consumers of its projectors
 * and reactions. `reactions` are the context's reactions as built (only names and sources are read).
 */
export const contextProvisioning = (deps: {
  parts: ServiceParts;
  config: ServiceSettings;
  cql: cassandra.Client;
  jsm: JetStreamManager;
  es: Elasticsearch;
  reactions: readonly Pick<Reaction, "name" | "source">[];
}): ProvisioningStep[] => {
  const { parts, config } = deps;
  const topology: ContextTopology = contextTopology(parts.context, config.namespace, config.nats.streamReplicas);
  const bindings = parts.projections.map((projection) => topology.bind(projection));
  return [
    ...keyspaceProvisioning(parts, deps.cql, config.cassandra.keyspace, config.cassandra.replicationFactor),
    ...streamProvisioning(deps.jsm, topology.stream),
    ...indexProvisioning(deps.es, bindings, config.elasticsearch.replicas),
    ...consumerProvisioning(deps.jsm, parts.context, config, bindings, deps.reactions),
  ];
};
