import { connectCassandra, type CassandraSettings } from "@bazaar/event-store";
import { connectNats, type NatsSettings } from "@bazaar/messaging";
import { connectElasticsearch, type ElasticsearchSettings } from "@bazaar/projections";
import type { Client as Elasticsearch } from "@elastic/elasticsearch";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type cassandra from "cassandra-driver";

/** A data store that did not answer: which one, where it was looked for, and the driver's reason. */
export class StoreUnreachableError extends Error {
  override name = "StoreUnreachableError";
  constructor(
    readonly store: "Cassandra" | "NATS" | "Elasticsearch",
    readonly address: string,
    cause: unknown,
  ) {
    super(`${store} is unreachable at ${address}: ${reasonOf(cause)}`, { cause });
  }
}

/** The driver's reason in one line: Cassandra's "no host available" carries one error per host. */
const reasonOf = (cause: unknown): string => {
  const perHost = (cause as { innerErrors?: Record<string, unknown> } | undefined)?.innerErrors;
  if (perHost && Object.keys(perHost).length > 0) {
    return Object.entries(perHost)
      .map(([host, error]) => `${host} ${error instanceof Error ? error.message : String(error)}`)
      .join("; ");
  }
  return cause instanceof Error ? cause.message : String(cause);
};

export interface StoreConnections {
  cql: cassandra.Client;
  /** Absent when only the gateway's keyspace is provisioned. */
  nats?: { connection: NatsConnection; jsm: JetStreamManager };
  es?: Elasticsearch;
  close(): Promise<void>;
}

/**
 * Connects to the stores a migration needs, one after the other, and fails with the first one
 * that does not answer (what connected so far is closed again). Elasticsearch connects lazily,
 * so its cluster health is asked for here: an unreachable node is found before any step runs.
 */
export const connectStores = async (settings: {
  cassandra: CassandraSettings;
  nats?: Omit<NatsSettings, "name">;
  elasticsearch?: ElasticsearchSettings;
}): Promise<StoreConnections> => {
  const opened: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closeOne of opened.reverse()) await closeOne().catch(() => undefined);
  };
  try {
    const cql = await connectCassandra(settings.cassandra).catch((error: unknown) => {
      throw new StoreUnreachableError("Cassandra", settings.cassandra.contactPoints.join(","), error);
    });
    opened.push(() => cql.shutdown());
    let nats: StoreConnections["nats"];
    if (settings.nats) {
      const address = settings.nats.servers.join(",");
      const connection = await connectNats({ ...settings.nats, name: "bazaar-migrate" }).catch((error: unknown) => {
        throw new StoreUnreachableError("NATS", address, error);
      });
      opened.push(() => connection.drain());
      const jsm = await jetstreamManager(connection).catch((error: unknown) => {
        throw new StoreUnreachableError("NATS", `${address} (JetStream)`, error);
      });
      nats = { connection, jsm };
    }
    let es: Elasticsearch | undefined;
    if (settings.elasticsearch) {
      const client = connectElasticsearch(settings.elasticsearch);
      opened.push(() => client.close());
      await client.cluster.health({ timeout: "5s" }).catch((error: unknown) => {
        throw new StoreUnreachableError("Elasticsearch", settings.elasticsearch!.node, error);
      });
      es = client;
    }
    return { cql, ...(nats ? { nats } : {}), ...(es ? { es } : {}), close };
  } catch (error) {
    await close();
    throw error;
  }
};
