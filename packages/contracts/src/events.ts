/** Integration events: the published contract of every context, decoded and encoded by the generated code. */
export { decodeIntegrationEvent, encodeIntegrationEvent, requiredField } from "./events/integrationEventJson.js";
export { publishedBody } from "./events/publishedBody.js";
export {
  integrationEventMessages,
  isIntegrationEventType,
  protoNameOf,
  type IntegrationEventMessage,
  type IntegrationEventType,
} from "./events/integrationEventMessages.js";
