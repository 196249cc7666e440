import { decodeEnvelope, ensureStream } from "@bazaar/messaging";
import { contextTopology } from "@bazaar/service-kit";
import { DeliverPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";

/**
 * Follows the catalog's events from now on (an ordered, ephemeral consumer: nothing to clean up,
 * nothing to acknowledge) and reports which product changed — to invalidate cached details.
 */
export const followCatalogChanges = async (nats: NatsConnection, options: { namespace: string; create: boolean }, onChange: (productId: string) => void) => {
  const { stream } = contextTopology("catalog", options.namespace);
  // The catalog may start after us: in development its stream is created with the catalog's own
  // settings; otherwise `bazaar migrate` made it, and this process may not.
  if (options.create) await ensureStream(await jetstreamManager(nats), stream);
  const consumer = await jetstream(nats).consumers.get(stream.name, { filter_subjects: [...stream.subjects], deliver_policy: DeliverPolicy.New });
  const messages = await consumer.consume();
  const done = (async () => {
    for await (const msg of messages) {
      try {
        // The product is named by the event's data (every catalog event carries it), not its stream id.
        const { data } = decodeEnvelope(msg.headers, msg.data);
        const productId = (data as { productId?: unknown } | null)?.productId;
        if (typeof productId === "string" && productId !== "") onChange(productId);
      } catch {
        // Not an event: nothing to invalidate.
      }
    }
  })();
  return {
    async stop() {
      await messages.close();
      await done;
    },
  };
};
