import { readFileSync } from "node:fs";
import { createFileRegistry, fromBinary, type FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema, MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";

/** The FileDescriptorSet of every contract (built by `buf build`), for gRPC server reflection. */
export const loadDescriptorSet = (): Buffer => readFileSync(new URL("../descriptors.binpb", import.meta.url));

let registry: FileRegistry | undefined;

/** The contracts' own descriptors (built with them), read once: they never change while running. */
export const contractRegistry = (): FileRegistry => (registry ??= createFileRegistry(fromBinary(FileDescriptorSetSchema, loadDescriptorSet())));

/** What a method's proto declares with `option idempotency_level`: whether calling it again is safe. */
export type MethodIdempotency = "no-side-effects" | "idempotent" | "unknown";

const LEVELS: Record<MethodOptions_IdempotencyLevel, MethodIdempotency> = {
  [MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS]: "no-side-effects",
  [MethodOptions_IdempotencyLevel.IDEMPOTENT]: "idempotent",
  [MethodOptions_IdempotencyLevel.IDEMPOTENCY_UNKNOWN]: "unknown",
};

/**
 * The idempotency level a contract method declares, by its gRPC path
 * (`/bazaar.catalog.v1.CatalogQueryService/GetProduct`); "unknown" for a method the contracts do
 * not have. Read from the descriptors `buf` builds from the protos: the proto is the one list.
 */
export const methodIdempotency = (path: string): MethodIdempotency => {
  const [, serviceName = "", methodName] = path.split("/");
  const method = contractRegistry()
    .getService(serviceName)
    ?.methods.find((candidate) => candidate.name === methodName);
  return method ? LEVELS[method.idempotency] : "unknown";
};
