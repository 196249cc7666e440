/** Where the local stack (deploy/local/stack) listens; the same env variables as the services. */
export const stack = {
  cassandra: {
    contactPoints: [`127.0.0.1:${process.env.CASSANDRA_PORT ?? "9042"}`],
    localDataCenter: "datacenter1",
    replicationFactor: 1,
  },
  nats: { servers: [`nats://127.0.0.1:${process.env.NATS_PORT ?? "4222"}`] },
  elasticsearch: { node: `http://127.0.0.1:${process.env.ES_PORT ?? "9200"}`, requestTimeoutMs: 10_000 },
};

/** A name no other test run uses: keyspaces, streams and indices of one test stay its own. */
export const uniqueName = (prefix: string): string =>
  `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
