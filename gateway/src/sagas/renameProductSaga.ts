import { ConcurrencyError } from "@bazaar/core";
import type { SagaDefinition } from "./sagaEngine.js";
import type { SagaContext } from "./sagaCoordinator.js";
import type { SagaPortsFor } from "./sagaPorts.js";

export interface RenameProductInput {
  productId: string;
  name: string;
  expectedVersion?: number;
  context: SagaContext;
}

interface Read {
  name: string;
  version: number;
}

/**
 * `rename?propagation=sync`: the catalog renames, then ordering applies the rename to its copy of
 * the product, both before the answer — an order placed after the answer quotes the new name.
 * The orders that already quote the product follow from the catalog's event, as in the async
 * flow: their number must not set the saga's latency (1 000 orders took 3.4 s inside it). If
 * ordering cannot, the catalog's name is restored (a second rename: the history shows both);
 * ordering needs no undo of its own, because the restoring rename has a newer catalog version and
 * reaches it as an event when it is back.
 */
export const renameProductSaga = (portsFor: SagaPortsFor): SagaDefinition => ({
  type: "rename-product",
  steps: (raw, sagaId) => {
    const input = raw as RenameProductInput;
    const ports = portsFor({ sagaId, ...input.context });
    return [
      { name: "catalog.read", run: (_outputs, signal) => ports.readProduct(input.productId, signal) },
      {
        name: "catalog.rename",
        run: (outputs, signal) => {
          const read = outputs["catalog.read"] as Read;
          return ports.renameProduct({ productId: input.productId, name: input.name, expectedVersion: input.expectedVersion ?? read.version }, signal);
        },
        async compensate(_output, outputs, signal) {
          const read = outputs["catalog.read"] as Read | undefined;
          if (!read) return;
          try {
            // Only if nobody renamed it after us: the version our rename produced.
            await ports.renameProduct({ productId: input.productId, name: read.name, expectedVersion: (input.expectedVersion ?? read.version) + 1 }, signal);
          } catch (error) {
            if (!(error instanceof ConcurrencyError)) throw error;
            // Our rename never landed (the product is where we read it), or someone else changed it since.
            const now = await ports.readProduct(input.productId, signal);
            if (now.name !== read.name) throw new Error(`product ${input.productId} changed after the rename (now "${now.name}"); its name was not restored`);
          }
        },
      },
      {
        name: "ordering.apply-rename",
        run: (outputs, signal) => {
          const renamed = outputs["catalog.rename"] as { position: { version: number } };
          return ports.applyProductRename({ productId: input.productId, name: input.name, catalogVersion: renamed.position.version }, signal);
        },
      },
    ];
  },
});
