import { ensureEventSourcingSchema, ensureKeyspace } from "@bazaar/event-store";
import { ensureStream, provisionConsumer, type StreamSettings } from "@bazaar/messaging";
import { ensureIndex, projectorConsumer } from "@bazaar/projections";
import type { Client as Elasticsearch } from "@elastic/elasticsearch";
import type { JetStreamManager } from "@nats-io/jetstream";
import type cassandra from "cassandra-driver";
import { ensureCheckpointSchema, reactorConsumer, type Reaction } from "./reactor.js";
import type { ServiceParts } from "./runService.js";
import type { ServiceSettings } from "./serviceConfig.js";
import { cassandraSchemaPresent, consumerPresent, readModelPresent, streamPresent } from "./provisioningChecks.js";
import { contextTopology, type ContextTopology, type ProjectionBinding } from "./topology.js";

/** One idempotent piece of schema or topology on one data store, described for a dry run. */
export interface ProvisioningStep {
  store: "cassandra" | "nats" | "elasticsearch";
  what: string;
  run(): Promise<void>;
  /** Whether what `run` creates is there, changing nothing. */
  present(): Promise<boolean>;
}

/** Runs steps one after the other: later steps rely on earlier ones (a consumer on its stream). */
export const runProvisioning = async (steps: readonly ProvisioningStep[]): Promise<void> => {
  for (const step of steps) await step.run();
};

/** What a process found missing that `bazaar migrate` creates: it does not start without it. */
export class ProvisioningMissingError extends Error {
  override name = "ProvisioningMissingError";
  constructor(readonly missing: readonly Pick<ProvisioningStep, "store" | "what">[]) {
    super(
      `not provisioned — run \`bazaar migrate\` first (or BAZAAR_PROVISIONING=create to let processes create it): ${missing.map((m) => `${m.store}: ${m.what}`).join("; ")}`,
    );
  }
}

/**
 * How a process settles its schema at start (`BAZAAR_PROVISIONING`). In development it creates
 * what it relies on (one command starts everything). Otherwise it only checks: `bazaar migrate`
 * provisions, with a role that may; the process's own role may not, and a missing piece stops
 * it, naming every gap.
 */
export const settleProvisioning = async (steps: readonly ProvisioningStep[], mode: { create: boolean }): Promise<void> => {
  if (mode.create) return runProvisioning(steps);
  const missing: ProvisioningStep[] = [];
  for (const step of steps) if (!(await step.present())) missing.push(step);
  if (missing.length > 0) throw new ProvisioningMissingError(missing);
};

/** A step that runs a CQL schema function; its presence check reads the statements it would run. */
export const cassandraStep = (cql: cassandra.Client, what: string, ensure: (client: cassandra.Client) => Promise<void>): ProvisioningStep => ({
  store: "cassandra",
  what,
  run: () => ensure(cql),
  present: () => cassandraSchemaPresent(cql, ensure),
});

/** A context's keyspace and every table its processes use in it. */
export const keyspaceProvisioning = (parts: ServiceParts, cql: cassandra.Client, keyspace: string, replicationFactor: number): ProvisioningStep[] => {
  const steps: ProvisioningStep[] = [
    cassandraStep(cql, `keyspace ${keyspace} (replication factor ${replicationFactor})`, (client) => ensureKeyspace(client, keyspace, replicationFactor)),
    cassandraStep(cql, `${keyspace}: event store, snapshot and publication tables`, (client) => ensureEventSourcingSchema(client, keyspace)),
  ];
  const { ensureSchema } = parts;
  if (ensureSchema) steps.push(cassandraStep(cql, `${keyspace}: ${parts.context}'s own tables`, (client) => ensureSchema(client, keyspace)));
  if (parts.reactions) steps.push(cassandraStep(cql, `${keyspace}: reaction checkpoints`, (client) => ensureCheckpointSchema(client, keyspace)));
  return steps;
};

/** The context's own JetStream stream. */
export const streamProvisioning = (jsm: JetStreamManager, stream: StreamSettings): ProvisioningStep[] => [
  {
    store: "nats",
    what: `stream ${stream.name} (${stream.subjects.join(", ")}; replicas ${stream.replicas ?? "as they are"})`,
    run: () => ensureStream(jsm, stream),
    present: () => streamPresent(jsm, stream.name),
  },
];

/** Index templates, and the first index behind each read model's alias. */
export const indexProvisioning = (es: Elasticsearch, bindings: readonly ProjectionBinding[], replicas: number): ProvisioningStep[] =>
  bindings.map(({ projection }) => ({
    store: "elasticsearch",
    what: `index template ${projection.alias} (${replicas} replicas) and alias ${projection.alias}`,
    run: () => ensureIndex(es, projection, { replicas }),
    present: () => readModelPresent(es, projection.alias),
  }));

/** Where a context's reaction reads: the source context's stream, through a durable consumer of its own. */
export const reactionSubscription = (context: string, config: Pick<ServiceSettings, "namespace" | "nats">, reaction: Pick<Reaction, "name" | "source">) => {
  const source = contextTopology(reaction.source, config.namespace, config.nats.streamReplicas);
  return {
    durable: contextTopology(context, config.namespace).alias(`${context}-${reaction.name}`),
    source: source.stream,
    subjectOfStream: source.subjectOfStream,
  };
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
    const { durable } = settings;
    return {
      store: "nats",
      what: `consumer ${settings.durable} on ${settings.stream} (projector)`,
      run: async () => void (await provisionConsumer(jsm, settings)),
      // An ephemeral consumer (no durable name) is made by the process reading it, never ahead.
      present: () => (durable ? consumerPresent(jsm, settings.stream, durable) : Promise.resolve(true)),
    };
  }),
  ...reactions.flatMap((reaction): ProvisioningStep[] => {
    const { durable, source } = reactionSubscription(context, config, reaction);
    return [
      // The source context's own steps create it too; the reaction does not wait for them.
      ...streamProvisioning(jsm, source),
      {
        store: "nats",
        what: `consumer ${durable} on ${source.name} (reaction)`,
        run: async () => void (await provisionConsumer(jsm, reactorConsumer(durable, source))),
        present: () => consumerPresent(jsm, source.name, durable),
      },
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
