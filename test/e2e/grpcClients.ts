import { DEV_SERVICE_AUTH_SECRET, serviceClientOptions } from "@bazaar/runtime";
import { credentials } from "@grpc/grpc-js";

/**
 * What a test's own gRPC client passes to call a context as the gateway does: the service token
 * of the caller `gateway`, signed with development mode's secret (the contexts under test run in
 * development mode), so the caller's x-actor is believed.
 */
export const asGateway = [credentials.createInsecure(), serviceClientOptions({ secret: DEV_SERVICE_AUTH_SECRET, caller: "gateway" })] as const;
