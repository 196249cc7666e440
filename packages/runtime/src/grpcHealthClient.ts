import { service as healthService } from "grpc-health-check";
import { CHANNEL_OPTIONS } from "./grpcClient.js";
import { createUnaryClient } from "./unaryClient.js";

/** What `grpc.health.v1.Health/Check` answers, or UNREACHABLE when it could not be asked. */
export type ServingStatus = "UNKNOWN" | "SERVING" | "NOT_SERVING" | "SERVICE_UNKNOWN" | "UNREACHABLE";

export interface HealthClient {
  check(): Promise<ServingStatus>;
  close(): void;
}

/**
 * Asks one gRPC server whether it is serving as a whole (grpc-health-check's own definitions),
 * within `timeoutMs`. Never throws: an unreachable server says so. Health is open to anyone, so
 * no service token is sent.
 */
export const createHealthClient = (address: string, timeoutMs: number): HealthClient => {
  const client = createUnaryClient(healthService, {
    service: "health",
    address,
    channelOptions: CHANNEL_OPTIONS,
    timeoutMs,
    idempotencyOf: () => "no-side-effects",
  });
  const check = client.Check as (request: { service: string }) => Promise<{ status?: ServingStatus }>;
  return {
    check: () =>
      check({ service: "" }).then(
        (answer) => answer.status ?? "UNKNOWN",
        () => "UNREACHABLE",
      ),
    close: () => client.close(),
  };
};
