import { DEAD_LETTER_STREAM } from "@bazaar/messaging";
import { contextTopology } from "./topology.js";

/** What a NATS user may publish and subscribe to (the server's `permissions` block). */
export interface NatsPermissions {
  publish: string[];
  subscribe: string[];
}

/** Every process takes JetStream's answers and its pull deliveries on its own inbox. */
const INBOX = "_INBOX.>";

/** Reading a stream through consumers: look it up, create (ordered or durable) consumers on it, pull, acknowledge. */
const readsStream = (stream: string): string[] => [
  `$JS.API.STREAM.INFO.${stream}`,
  // An ordered consumer with several filters is created without a name in the subject.
  `$JS.API.CONSUMER.CREATE.${stream}`,
  `$JS.API.CONSUMER.CREATE.${stream}.>`,
  `$JS.API.CONSUMER.INFO.${stream}.>`,
  `$JS.API.CONSUMER.MSG.NEXT.${stream}.>`,
  `$JS.ACK.${stream}.>`,
];

/**
 * A context's processes on the servers, no more: they publish their own events (and dead
 * letters), read their own stream and the streams of the contexts they consume, and administer
 * none — streams are `bazaar migrate`'s, run as an admin user. Everything not listed is refused.
 * `consumes`: the contexts whose events its reactions and feeds read.
 */
export const contextNatsPermissions = (context: string, options: { namespace: string; consumes: readonly string[] }): NatsPermissions => {
  const own = contextTopology(context, options.namespace).stream;
  const read = [own.name, ...options.consumes.map((source) => contextTopology(source, options.namespace).stream.name)];
  return {
    publish: [
      ...own.subjects,
      // One dead-letter stream for every consumer: its subjects name the consumer, not the context.
      ...DEAD_LETTER_STREAM.subjects,
      "$JS.API.INFO",
      ...read.flatMap(readsStream),
      `$JS.API.STREAM.INFO.${DEAD_LETTER_STREAM.name}`,
    ],
    subscribe: [INBOX],
  };
};

/** The gateway reads the pipeline's state (consumers behind, dead letters) and nothing else. */
export const gatewayNatsPermissions = (options: { namespace: string; contexts: readonly string[] }): NatsPermissions => ({
  publish: [
    "$JS.API.INFO",
    ...options.contexts.map((context) => `$JS.API.CONSUMER.LIST.${contextTopology(context, options.namespace).stream.name}`),
    `$JS.API.STREAM.INFO.${DEAD_LETTER_STREAM.name}`,
  ],
  subscribe: [INBOX],
});
