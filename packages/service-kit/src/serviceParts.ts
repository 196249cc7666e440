import type { EventStore, Append, SnapshotStore } from "@bazaar/event-store";
import type { PublishedBody } from "@bazaar/messaging";
import type { DocumentProjection } from "@bazaar/projections";
import type { GrpcService, Logger, serviceClientOptions, ShutdownStep } from "@bazaar/runtime";
import type { Client as Elasticsearch } from "@elastic/elasticsearch";
import type { NatsConnection } from "@nats-io/transport-node";
import type cassandra from "cassandra-driver";
import type { Registry } from "prom-client";
import type { Reaction } from "./reactor.js";
import type { ContextTopology } from "./topology.js";

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
  /** The process's metrics registry (served on its metrics port), for what those clients measure. */
  metrics: Registry;
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

/** What a role builder hands runService: the gRPC services it serves and its shutdown steps, in order. */
export interface RoleParts {
  services: GrpcService[];
  steps: ShutdownStep[];
}
