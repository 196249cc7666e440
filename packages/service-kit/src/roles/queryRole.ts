import { serviceClientOptions, type Logger, type ShutdownStep } from "@bazaar/runtime";
import type { Client as Elasticsearch } from "@elastic/elasticsearch";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Registry } from "prom-client";
import type { ServiceConfig } from "../serviceConfig.js";
import type { RoleParts, ServiceParts } from "../serviceParts.js";
import type { ContextTopology } from "../topology.js";

/**
 * The query role: the context's query services over Elasticsearch (the connection with the
 * queries' short timeouts), NATS for event feeds, and a service token for calls to other contexts.
 * Its steps are what the services registered to stop (clients, subscriptions).
 */
export const buildQueryRole = async (deps: {
  parts: Pick<ServiceParts, "context" | "queries">;
  config: ServiceConfig;
  es: Elasticsearch;
  nats: NatsConnection;
  topology: ContextTopology;
  logger: Logger;
  metrics: Registry;
}): Promise<RoleParts> => {
  const { parts, config } = deps;
  const steps: ShutdownStep[] = [];
  // Calls to other contexts (ordering's hybrid read of the catalog) with their RED metrics, like the gateway's.
  const clientOptions = serviceClientOptions({ secret: config.serviceAuth.secret, caller: parts.context, metrics: deps.metrics });
  const services = await parts.queries({
    es: deps.es,
    nats: deps.nats,
    topology: deps.topology,
    namespace: config.namespace,
    logger: deps.logger,
    onShutdown: (step) => steps.push(step),
    clientOptions,
    metrics: deps.metrics,
    provisioning: config.provisioning,
  });
  return { services, steps };
};
