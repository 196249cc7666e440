import type { Client as Elasticsearch } from "@elastic/elasticsearch";
import { JetStreamApiCodes, JetStreamApiError, type JetStreamManager } from "@nats-io/jetstream";
import { streamReplicas } from "@bazaar/messaging";
import type cassandra from "cassandra-driver";

/**
 * Whether what a provisioning step creates is there, asked without changing anything: how a
 * process outside development mode checks the schema `bazaar migrate` made, since it may not
 * (and, where the stores enforce roles, cannot) create it itself.
 */

/**
 * The CQL a schema function runs, learned by running it against a client that only records:
 * the check reads the same statements the creation runs, so the two cannot drift apart.
 */
const recordedStatements = async (ensure: (client: cassandra.Client) => Promise<void>): Promise<string[]> => {
  const statements: string[] = [];
  const recorder = {
    execute: (query: string) => {
      statements.push(query.replace(/\s+/g, " ").trim());
      return Promise.resolve({ rows: [], first: () => null, wasApplied: () => true });
    },
  } as unknown as cassandra.Client;
  await ensure(recorder);
  return statements;
};

/** The system_schema query that finds what one DDL statement creates, or undefined for a statement nothing here understands. */
const presenceQuery = (statement: string): { query: string; params: string[] } | undefined => {
  const keyspace = /^CREATE KEYSPACE IF NOT EXISTS (\w+)/i.exec(statement);
  if (keyspace) return { query: "SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?", params: [keyspace[1]!] };
  const table = /^CREATE TABLE IF NOT EXISTS (\w+)\.(\w+)/i.exec(statement);
  if (table) return { query: "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?", params: [table[1]!, table[2]!] };
  const column = /^ALTER TABLE (\w+)\.(\w+) ADD (\w+)/i.exec(statement);
  if (column)
    return {
      query: "SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ? AND column_name = ?",
      params: [column[1]!, column[2]!, column[3]!],
    };
  return undefined;
};

/**
 * What a schema function runs besides schema: a row it seeds (the relay's starting point: data,
 * written by whoever provisions), a read of the schema, and a table option it tunes (the Paxos
 * retention of an older table: `bazaar migrate` sets it, and a process must not refuse to start
 * over it — an operator may have tuned it on purpose).
 */
const isNotPresence = (statement: string) => /^(INSERT INTO |SELECT |ALTER TABLE \S+ WITH )/i.test(statement);

/** Whether every keyspace, table and column `ensure` would create exists (what isNotPresence names is not asked). */
export const cassandraSchemaPresent = async (cql: cassandra.Client, ensure: (client: cassandra.Client) => Promise<void>): Promise<boolean> => {
  for (const statement of (await recordedStatements(ensure)).filter((s) => !isNotPresence(s))) {
    const presence = presenceQuery(statement);
    // A kind of DDL this check cannot read is a bug here, not a schema that is "there".
    if (!presence) throw new Error(`no presence check for: ${statement.slice(0, 80)}`);
    if ((await cql.execute(presence.query, presence.params, { prepare: true })).rows.length === 0) return false;
  }
  return true;
};

/** A stream is there when JetStream knows its replicas (messaging's lookup: undefined when missing). */
export const streamPresent = async (jsm: JetStreamManager, name: string): Promise<boolean> => (await streamReplicas(jsm, name)) !== undefined;

export const consumerPresent = async (jsm: JetStreamManager, stream: string, durable: string): Promise<boolean> => {
  try {
    await jsm.consumers.info(stream, durable);
    return true;
  } catch (error) {
    if (error instanceof JetStreamApiError && (error.code === JetStreamApiCodes.ConsumerNotFound || error.code === JetStreamApiCodes.StreamNotFound))
      return false;
    throw error;
  }
};

/** A read model is there when its index template and its alias are. */
export const readModelPresent = async (es: Elasticsearch, alias: string): Promise<boolean> =>
  (await es.indices.existsIndexTemplate({ name: alias })) && (await es.indices.existsAlias({ name: alias }));
