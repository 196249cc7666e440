import { TimeoutError, UnavailableError } from "@bazaar/core";
import { errors as es } from "@elastic/elasticsearch";
import { errors as nats } from "@nats-io/transport-node";
import cassandra from "cassandra-driver";

const cql = cassandra.errors;
const codes = cassandra.types.responseErrorCodes;
/** Coordinator answers that mean "not now": the cluster cannot serve the request at present. */
const cassandraOutage = new Set<number>([
  codes.unavailableException,
  codes.overloaded,
  codes.isBootstrapping,
  codes.readFailure,
  codes.writeFailure,
  codes.truncateError,
]);
/** Coordinator answers that mean "no answer in time": the write may or may not have happened. */
const cassandraTimeout = new Set<number>([codes.writeTimeout, codes.readTimeout]);

const classify = (error: unknown): UnavailableError | TimeoutError | undefined => {
  if (error instanceof cql.NoHostAvailableError || error instanceof cql.BusyConnectionError)
    return new UnavailableError("Cassandra is unavailable", { cause: error });
  // The connection dropped under the request (the node died): an outage like no host at all.
  if (error instanceof cql.DriverError && (error as { isSocketError?: boolean }).isSocketError)
    return new UnavailableError("Cassandra is unavailable", { cause: error });
  if (error instanceof cql.OperationTimedOutError) return new TimeoutError("Cassandra did not answer in time", { cause: error });
  if (error instanceof cql.ResponseError) {
    if (cassandraOutage.has(error.code)) return new UnavailableError("Cassandra is unavailable", { cause: error });
    if (cassandraTimeout.has(error.code)) return new TimeoutError("Cassandra did not answer in time", { cause: error });
    return undefined;
  }
  if (error instanceof es.ConnectionError || error instanceof es.NoLivingConnectionsError)
    return new UnavailableError("Elasticsearch is unavailable", { cause: error });
  if (error instanceof es.TimeoutError || error instanceof es.RequestAbortedError)
    return new TimeoutError("Elasticsearch did not answer in time", { cause: error });
  if (error instanceof es.ResponseError && [429, 502, 503, 504].includes(error.statusCode ?? 0))
    return new UnavailableError("Elasticsearch is unavailable", { cause: error });
  if (
    error instanceof nats.ConnectionError ||
    error instanceof nats.ClosedConnectionError ||
    error instanceof nats.DrainingConnectionError ||
    error instanceof nats.NoRespondersError
  ) {
    return new UnavailableError("NATS is unavailable", { cause: error });
  }
  if (error instanceof nats.TimeoutError) return new TimeoutError("NATS did not answer in time", { cause: error });
  return undefined;
};

/**
 * What a data-store driver's failure means to a caller: an outage (retry later: UNAVAILABLE,
 * 503) or an unknown outcome (DEADLINE_EXCEEDED, 504) — looked for along the `cause` chain.
 * Anything else a driver throws (a syntax error, a bad mapping) is our bug and stays internal.
 * The messages name the store only: driver text carries internal hosts and ports.
 */
export const asDependencyFailure = (error: unknown): UnavailableError | TimeoutError | undefined => {
  for (let current = error, depth = 0; current instanceof Error && depth < 8; current = current.cause, depth++) {
    const failure = classify(current);
    if (failure) return failure;
  }
  return undefined;
};
