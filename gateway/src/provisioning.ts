import { ensureKeyspace } from "@bazaar/event-store";
import type { ProvisioningStep } from "@bazaar/service-kit";
import type cassandra from "cassandra-driver";
import { ensureIdempotencySchema } from "./edge/idempotencyStore.js";
import { ensureSagaSchema } from "./sagas/sagaLog.js";

/** The gateway's own keyspace: the Idempotency-Key store and the saga log. The gateway runs it at start; `bazaar migrate` ahead of it. */
export const gatewayProvisioning = (cql: cassandra.Client, keyspace: string, replicationFactor: number): ProvisioningStep[] => [
  { store: "cassandra", what: `keyspace ${keyspace} (replication factor ${replicationFactor})`, run: () => ensureKeyspace(cql, keyspace, replicationFactor) },
  { store: "cassandra", what: `${keyspace}: idempotency keys`, run: () => ensureIdempotencySchema(cql, keyspace) },
  { store: "cassandra", what: `${keyspace}: saga log`, run: () => ensureSagaSchema(cql, keyspace) },
];
