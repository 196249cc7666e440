import { ensureKeyspace } from "@bazaar/event-store";
import { cassandraStep, type ProvisioningStep } from "@bazaar/service-kit";
import type cassandra from "cassandra-driver";
import { ensureIdempotencySchema } from "./edge/idempotencyStore.js";
import { ensureSagaSchema } from "./sagas/sagaLog.js";

/** The gateway's own keyspace: the Idempotency-Key store and the saga log. `bazaar migrate` creates it; the gateway checks it at start (creates it in development). */
export const gatewayProvisioning = (cql: cassandra.Client, keyspace: string, replicationFactor: number): ProvisioningStep[] => [
  cassandraStep(cql, `keyspace ${keyspace} (replication factor ${replicationFactor})`, (client) => ensureKeyspace(client, keyspace, replicationFactor)),
  cassandraStep(cql, `${keyspace}: idempotency keys`, (client) => ensureIdempotencySchema(client, keyspace)),
  cassandraStep(cql, `${keyspace}: saga log`, (client) => ensureSagaSchema(client, keyspace)),
];
