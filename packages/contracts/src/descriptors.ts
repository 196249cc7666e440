import { readFileSync } from "node:fs";

/** The FileDescriptorSet of every contract (built by `buf build`), for gRPC server reflection. */
export const loadDescriptorSet = (): Buffer => readFileSync(new URL("../descriptors.binpb", import.meta.url));
