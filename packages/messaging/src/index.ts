export { connectNats, type NatsSettings } from "./nats.js";
export { ensureStream, type StreamSettings } from "./streams.js";
export { decodeEnvelope, encodeEnvelope, MalformedEventError, type EncodedEvent } from "./envelopeCodec.js";
export { createEventPublisher, type EventPublisher } from "./eventPublisher.js";
