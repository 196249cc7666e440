export { connectNats, type NatsSettings } from "./nats.js";
export { ensureStream, streamReplicas, type StreamSettings } from "./streams.js";
export { decodeEnvelope, encodeEnvelope, MalformedEventError, type EncodedEvent } from "./envelopeCodec.js";
export { createEventPublisher, type EventPublisher, type PublishedBody } from "./eventPublisher.js";
export {
  createConsumerMetrics,
  DEAD_LETTER_STREAM,
  done,
  noConsumerMetrics,
  parked,
  provisionConsumer,
  retryAfter,
  startConsumer,
  type Consumer,
  type ConsumerLogger,
  type ConsumerMetrics,
  type ConsumerOptions,
  type ConsumerSettings,
  type Delivery,
  type Settlement,
} from "./consumer.js";
export { fillGaps, missingFromJetStream, type MissingEvents } from "./gaps.js";
export { contextOfEvent, inEventSpan, startEventSpans } from "./messageTracing.js";
