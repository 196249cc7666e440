export { main, runService, type ReadSide, type ServiceParts, type WriteSide } from "./runService.js";
export { loadServiceConfig, type Role, type ServiceConfig } from "./serviceConfig.js";
export { contextTopology, type ContextTopology, type ProjectionBinding } from "./topology.js";
