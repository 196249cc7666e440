/** Each product is one event stream; its id is derived from the product id. */
export const productStreamId = (productId: string): string => `product-${productId}`;

export const productIdOfStream = (streamId: string): string | undefined =>
  streamId.startsWith("product-") ? streamId.slice("product-".length) : undefined;
