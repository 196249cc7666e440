/** Each customer is one event stream; its id is derived from the customer id. */
const PREFIX = "customer-";

export const customerStreamId = (customerId: string): string => `${PREFIX}${customerId}`;

export const isCustomerStream = (streamId: string): boolean => streamId.startsWith(PREFIX);

export const customerIdOfStream = (streamId: string): string => streamId.slice(PREFIX.length);
