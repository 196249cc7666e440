import { env, loadConfig } from "@bazaar/runtime";
import { z } from "zod";

const schema = z
  .object({
    GATEWAY_HOST: env.string("127.0.0.1"),
    GATEWAY_PORT: env.port(8080),
    CATALOG_COMMAND_ADDRESS: env.string("127.0.0.1:50051"),
    CATALOG_QUERY_ADDRESS: env.string("127.0.0.1:50051"),
    DOWNSTREAM_TIMEOUT_MS: env.int(5000),
    BODY_LIMIT: env.string("64kb"),
  })
  .transform((e) => ({
    http: { host: e.GATEWAY_HOST, port: e.GATEWAY_PORT, bodyLimit: e.BODY_LIMIT },
    catalog: { commandAddress: e.CATALOG_COMMAND_ADDRESS, queryAddress: e.CATALOG_QUERY_ADDRESS },
    timeoutMs: e.DOWNSTREAM_TIMEOUT_MS,
  }));

export type GatewayConfig = z.infer<typeof schema>;

export const loadGatewayConfig = (source?: Record<string, string | undefined>): GatewayConfig => loadConfig(schema, source);
