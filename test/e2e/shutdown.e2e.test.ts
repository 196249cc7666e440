import { randomUUID } from "node:crypto";
import { InventoryCommandServiceClient } from "@bazaar/contracts/inventory/v1";
import { callUnary } from "@bazaar/runtime";
import { connectStoresNats, stack } from "@bazaar/testing";
import { jetstreamManager } from "@nats-io/jetstream";
import { expect, it } from "vitest";
import { startContexts } from "./contexts.js";
import { asGateway } from "./grpcClients.js";

/**
 * A context stopped (SIGTERM) right after a write, as a rolling deploy does: its projector must
 * not leave a message delivered and unacknowledged behind (it would come back only after
 * ack_wait, 30 s, and the read model would lack it until then). Before the consumer loop
 * pulled with short fetches, a stop under load stranded the write's event in most rounds.
 */
it("a graceful stop right after a write leaves no event delivered but unacknowledged", async () => {
  const contexts = await startContexts(["inventory"]);
  const nats = await connectStoresNats(stack);
  const jsm = await jetstreamManager(nats);
  const stream = `${contexts.namespace.toUpperCase()}_INVENTORY`;
  const consumer = `${contexts.namespace}-inventory-stock-level`;
  try {
    for (let round = 1; round <= 5; round++) {
      const inventory = new InventoryCommandServiceClient(contexts.address("inventory"), ...asGateway);
      await callUnary(inventory.restock.bind(inventory), { productId: randomUUID(), quantity: 3 }, { timeoutMs: 10_000 });
      inventory.close();
      await contexts.stop("inventory");
      const info = await jsm.consumers.info(stream, consumer);
      expect({ round, unacknowledged: info.num_ack_pending, ackFloor: info.ack_floor.stream_seq }).toEqual({
        round,
        unacknowledged: 0,
        ackFloor: info.delivered.stream_seq,
      });
      await contexts.start("inventory");
    }
  } finally {
    await nats.close();
    await contexts.stopAll();
    await contexts.cleanup();
  }
});
