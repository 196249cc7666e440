/** Each product is one event stream; its id is derived from the product id. */
const PREFIX = "product-";

export const productStreamId = (productId: string): string => `${PREFIX}${productId}`;

export const isProductStream = (streamId: string): boolean => streamId.startsWith(PREFIX);

export const productIdOfStream = (streamId: string): string => streamId.slice(PREFIX.length);
