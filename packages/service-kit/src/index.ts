export { main, runService } from "./runService.js";
export type { ReadSide, RoleParts, ServiceParts, WriteSide } from "./serviceParts.js";
export { loadServiceConfig, loadServiceSettings, type Role, type ServiceConfig, type ServiceSettings } from "./serviceConfig.js";
export { contextTopology, type ContextTopology, type ProjectionBinding } from "./topology.js";
export {
  consumerProvisioning,
  contextProvisioning,
  indexProvisioning,
  keyspaceProvisioning,
  reactionSubscription,
  cassandraStep,
  ProvisioningMissingError,
  runProvisioning,
  settleProvisioning,
  streamProvisioning,
  type ProvisioningStep,
} from "./provisioning.js";
export { createWriteSide } from "./writeSide.js";
export {
  createCassandraCheckpoints,
  ensureCheckpointSchema,
  reactionTo,
  reactorConsumer,
  startReactor,
  type Reaction,
  type ReactionCheckpoints,
  type Reactor,
} from "./reactor.js";
export { commandHandlerFor } from "./commandHandlerFor.js";
export { contextNatsPermissions, gatewayNatsPermissions, type NatsPermissions } from "./natsPermissions.js";
