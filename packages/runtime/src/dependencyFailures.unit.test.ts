import { TimeoutError, UnavailableError } from "@bazaar/core";
import { errors as es } from "@elastic/elasticsearch";
import { status } from "@grpc/grpc-js";
import { errors as nats } from "@nats-io/transport-node";
import cassandra from "cassandra-driver";
import { describe, expect, it } from "vitest";
import { asDependencyFailure } from "./dependencyFailures.js";
import { toGrpcStatus } from "./grpcErrors.js";

const cql = cassandra.errors;
const codes = cassandra.types.responseErrorCodes;
/** What the driver raises for requests in flight on a connection that dropped (its class is abstract). */
class ClosedSocket extends cql.DriverError {
  isSocketError = true;
}
class OtherDriverError extends cql.DriverError {}
const esResponse = (statusCode: number) => new es.ResponseError({ statusCode, body: {}, headers: {}, warnings: null, meta: {} as never });

describe("asDependencyFailure", () => {
  it.each([
    ["Cassandra: no host reachable", new cql.NoHostAvailableError({ "127.0.0.1:9042": new Error("ECONNREFUSED") })],
    ["Cassandra: coordinator says unavailable", new cql.ResponseError(codes.unavailableException, "Cannot achieve consistency level")],
    ["Cassandra: overloaded", new cql.ResponseError(codes.overloaded, "overloaded")],
    ["Cassandra: all connections busy", new cql.BusyConnectionError("127.0.0.1:9042", 2048, 1)],
    ["Cassandra: the socket closed under the request", new ClosedSocket("Socket was closed")],
    ["Elasticsearch: connection refused", new es.ConnectionError("connect ECONNREFUSED 127.0.0.1:9200")],
    ["Elasticsearch: no living connections", new es.NoLivingConnectionsError("none", {} as never)],
    ["Elasticsearch: 503", esResponse(503)],
    ["Elasticsearch: 429 rejected execution", esResponse(429)],
    ["NATS: connection closed", new nats.ClosedConnectionError()],
    ["NATS: no responders", new nats.NoRespondersError("$JS.API.STREAM.INFO")],
  ])("%s is an outage: UnavailableError, UNAVAILABLE", (_what, error) => {
    const failure = asDependencyFailure(error);
    expect(failure).toBeInstanceOf(UnavailableError);
    expect(failure?.cause).toBe(error);
    expect(toGrpcStatus(error).code).toBe(status.UNAVAILABLE);
  });

  it.each([
    ["Cassandra: client-side timeout", new cql.OperationTimedOutError("The host 127.0.0.1:9042 did not reply before timeout 12000 ms", "127.0.0.1:9042")],
    ["Cassandra: write timeout (an LWT of unknown outcome)", new cql.ResponseError(codes.writeTimeout, "Operation timed out - received only 0 responses.")],
    ["Cassandra: read timeout", new cql.ResponseError(codes.readTimeout, "Operation timed out")],
    ["Elasticsearch: request timeout", new es.TimeoutError("Request timed out")],
    ["Elasticsearch: request aborted (deadline)", new es.RequestAbortedError("Request aborted")],
    ["NATS: timeout", new nats.TimeoutError()],
  ])("%s has an unknown outcome: TimeoutError, DEADLINE_EXCEEDED", (_what, error) => {
    expect(asDependencyFailure(error)).toBeInstanceOf(TimeoutError);
    expect(toGrpcStatus(error).code).toBe(status.DEADLINE_EXCEEDED);
  });

  it("finds the driver's failure along the cause chain", () => {
    const wrapped = new Error("append failed", { cause: new Error("batch", { cause: new cql.NoHostAvailableError({}) }) });
    expect(asDependencyFailure(wrapped)).toBeInstanceOf(UnavailableError);
  });

  it("names the store and never echoes the driver's text (hosts, ports)", () => {
    const failure = asDependencyFailure(new es.ConnectionError("connect ECONNREFUSED 10.0.3.7:9200"));
    expect(failure?.message).toBe("Elasticsearch is unavailable");
    expect(toGrpcStatus(new cql.NoHostAvailableError({ "10.0.3.7:9042": new Error("x") })).details).toBe("Cassandra is unavailable");
  });

  it.each([
    ["a CQL syntax error", new cql.ResponseError(codes.syntaxError, "line 1:0 no viable alternative")],
    ["an invalid query", new cql.ResponseError(codes.invalid, "Undefined column name")],
    ["an Elasticsearch mapping error (400)", esResponse(400)],
    ["a plain bug", new TypeError("cannot read properties of undefined")],
    ["a driver error that is no connection failure", new OtherDriverError("Unexpected message")],
  ])("leaves %s alone: our bug, INTERNAL", (_what, error) => {
    expect(asDependencyFailure(error)).toBeUndefined();
    expect(toGrpcStatus(error)).toEqual({ code: status.INTERNAL, details: "internal error" });
  });
});
