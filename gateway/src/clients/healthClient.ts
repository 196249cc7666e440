import { makeGenericClientConstructor, credentials, Metadata, type Client, type ServiceError } from "@grpc/grpc-js";
import { CHANNEL_OPTIONS } from "@bazaar/runtime";

/**
 * `grpc.health.v1.Health/Check` without a generated stub: the request is `{ service = 1 }`
 * (empty: the server as a whole) and the answer `{ status = 1 }`, one varint — small enough to
 * encode by hand.
 */
const STATUS = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"] as const;
export type ServingStatus = (typeof STATUS)[number] | "UNREACHABLE";

const Health = makeGenericClientConstructor(
  {
    Check: {
      path: "/grpc.health.v1.Health/Check",
      requestStream: false,
      responseStream: false,
      requestSerialize: () => Buffer.alloc(0),
      requestDeserialize: () => ({}),
      responseSerialize: () => Buffer.alloc(0),
      // Field 1, wire type 0 (tag 0x08), then the enum value; absent means 0 (UNKNOWN).
      responseDeserialize: (bytes: Buffer) => (bytes.length >= 2 && bytes[0] === 0x08 ? (bytes[1] ?? 0) : 0),
    },
  },
  "Health",
);

export interface HealthClient {
  check(timeoutMs: number): Promise<ServingStatus>;
  close(): void;
}

/** Asks one gRPC server whether it is serving. Never throws: an unreachable server says so. */
export const createHealthClient = (address: string): HealthClient => {
  const client = new Health(address, credentials.createInsecure(), CHANNEL_OPTIONS) as unknown as Client & {
    Check(request: object, metadata: Metadata, options: object, callback: (error: ServiceError | null, status?: number) => void): void;
  };
  return {
    check: (timeoutMs) =>
      new Promise((resolve) => {
        client.Check({}, new Metadata(), { deadline: Date.now() + timeoutMs }, (error, status) =>
          resolve(error ? "UNREACHABLE" : (STATUS[status ?? 0] ?? "UNKNOWN")),
        );
      }),
    close: () => client.close(),
  };
};
