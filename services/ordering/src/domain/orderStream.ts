/** Each order is one event stream. */
const PREFIX = "order-";

export const orderStreamId = (orderId: string): string => `${PREFIX}${orderId}`;

export const isOrderStream = (streamId: string): boolean => streamId.startsWith(PREFIX);

export const orderIdOfStream = (streamId: string): string => streamId.slice(PREFIX.length);
