import { connectCassandra, ensureKeyspace } from "@bazaar/event-store";
import { connectNats, ensureStream } from "@bazaar/messaging";
import { connectElasticsearch } from "@bazaar/projections";
import { stack, uniqueName } from "@bazaar/testing";
import type { Client as EsClient } from "@elastic/elasticsearch";
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type cassandra from "cassandra-driver";

/** Cleanups run in reverse order at the end, on error, and on Ctrl-C: a benchmark leaves nothing behind. */
const cleanups: { what: string; run: () => Promise<unknown> }[] = [];
export const onCleanup = (what: string, run: () => Promise<unknown>): void => {
  cleanups.push({ what, run });
};
export const cleanup = async (): Promise<void> => {
  while (cleanups.length > 0) {
    const { what, run } = cleanups.pop()!;
    try {
      await run();
    } catch (error) {
      console.error(`cleanup of ${what} failed: ${(error as Error).message}`);
    }
  }
};
process.once("SIGINT", () => {
  console.error("interrupted: cleaning up");
  void cleanup().finally(() => process.exit(130));
});

/** Runs a benchmark's main with cleanup and a non-zero exit on failure. */
export const main = (run: () => Promise<void>): void => {
  run()
    .then(cleanup, async (error: unknown) => {
      console.error(error);
      await cleanup();
      process.exitCode = 1;
    })
    .finally(() => {
      // Drivers keep timers alive after close on occasion; a benchmark must end.
      setTimeout(() => process.exit(), 500).unref();
    });
};

export const benchName = (prefix: string): string => uniqueName(`bench_${prefix}`).toLowerCase();

/** Its own keyspace on the stack's Cassandra (CASSANDRA_PORT), dropped at the end. */
export const cassandraKeyspace = async (prefix: string): Promise<{ client: cassandra.Client; keyspace: string }> => {
  const client = await connectCassandra(stack.cassandra);
  onCleanup("cassandra client", () => client.shutdown());
  const keyspace = benchName(prefix);
  await ensureKeyspace(client, keyspace, 1);
  onCleanup(`keyspace ${keyspace}`, () => client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`));
  return { client, keyspace };
};

/** Its own JetStream stream, deleted at the end (with its consumers). */
export const jetStreamStream = async (
  prefix: string,
): Promise<{ nats: NatsConnection; js: JetStreamClient; jsm: JetStreamManager; stream: string; subjectRoot: string }> => {
  const nats = await connectNats({ ...stack.nats, name: `bench-${prefix}` });
  onCleanup("nats connection", () => nats.close());
  const jsm = await jetstreamManager(nats);
  const stream = benchName(prefix).toUpperCase();
  const subjectRoot = stream.toLowerCase();
  await ensureStream(jsm, { name: stream, subjects: [`${subjectRoot}.>`], duplicateWindowMs: 2 * 60_000 });
  onCleanup(`stream ${stream}`, () => jsm.streams.delete(stream));
  return { nats, js: jetstream(nats), jsm, stream, subjectRoot };
};

export const elasticsearch = (): EsClient => {
  const es = connectElasticsearch({ ...stack.elasticsearch, requestTimeoutMs: 60_000 });
  onCleanup("elasticsearch client", () => es.close());
  return es;
};

/** Deletes the concrete indices `<alias>-*`, `<alias>` itself and the index template at the end. */
export const dropIndexAtEnd = (es: EsClient, alias: string): void => {
  onCleanup(`index ${alias}`, async () => {
    await es.indices.delete({ index: `${alias}-*,${alias}`, ignore_unavailable: true, allow_no_indices: true });
    await es.indices.deleteIndexTemplate({ name: alias }, { ignore: [404] });
  });
};

export const quietLogger = {
  warnings: 0,
  errors: 0,
  info() {},
  warn(obj: object, msg: string) {
    if (quietLogger.warnings++ < 3) console.error("projector warn:", msg, JSON.stringify(obj).slice(0, 300));
  },
  error(obj: object, msg: string) {
    if (quietLogger.errors++ < 3) console.error("projector error:", msg, JSON.stringify(obj).slice(0, 300));
  },
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
