import type { CallOptions, ClientUnaryCall, Metadata, ServiceError } from "@grpc/grpc-js";
import { Metadata as GrpcMetadata } from "@grpc/grpc-js";
import { fromGrpcError } from "./grpcErrors.js";

export type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

/** Calls a generated unary method with a deadline; a failure comes back as a typed error. */
export const callUnary = <Req, Res>(
  method: UnaryMethod<Req, Res>,
  request: Req,
  options: { timeoutMs: number; metadata?: Metadata },
): Promise<Res> =>
  new Promise<Res>((resolve, reject) => {
    method(request, options.metadata ?? new GrpcMetadata(), { deadline: Date.now() + options.timeoutMs }, (error, response) =>
      error ? reject(fromGrpcError(error)) : resolve(response),
    );
  });
