import type { DocumentProjection } from "@bazaar/projections";
import type { RevisedData } from "./payload.js";

/** The benchmark's read model: one document per stream, like the catalog's product search. */
export interface ProductDoc extends RevisedData {
  /** Stream id, a keyword: the unique field the visibility benchmark searches by. */
  sid: string;
  /** Stream version the document reflects (also the external _version). */
  v: number;
  revisions: number;
}

export const productProjection = (alias: string, refreshInterval = "1s"): DocumentProjection<ProductDoc> => ({
  name: alias,
  alias,
  settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: refreshInterval },
  mappings: {
    properties: {
      sid: { type: "keyword" },
      v: { type: "long" },
      revisions: { type: "long" },
      sku: { type: "keyword" },
      name: { type: "text" },
      category: { type: "keyword" },
      description: { type: "text" },
      price: { properties: { amount: { type: "long" }, currency: { type: "keyword" } } },
    },
  },
  handlesStream: () => true,
  documentId: (streamId) => streamId,
  evolve: (current, event) => ({
    ...(event.data as RevisedData),
    sid: event.streamId,
    v: event.version,
    revisions: (current?.revisions ?? 0) + 1,
  }),
});
