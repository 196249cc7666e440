/** Integration events: the published contract of every context, decoded and encoded by the generated code. */
export { decodeIntegrationEvent, decodedEvent, encodeEvent, encodeIntegrationEvent, requiredField, type DecodedEvent } from "./events/integrationEventJson.js";
export { eventDecoder, type EventDecoder } from "./events/eventDecoder.js";
export { publishedBody } from "./events/publishedBody.js";
export {
  integrationEventMessages,
  isIntegrationEventType,
  protoNameOf,
  type IntegrationEvent,
  type IntegrationEventMessage,
  type IntegrationEventType,
} from "./events/integrationEventMessages.js";
