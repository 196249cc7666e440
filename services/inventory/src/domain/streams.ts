/** Each product's stock is one stream; each order's reservation is another. */
const STOCK = "stock-";
const RESERVATION = "reservation-";

export const stockStreamId = (productId: string): string => `${STOCK}${productId}`;
export const isStockStream = (streamId: string): boolean => streamId.startsWith(STOCK);
export const productIdOfStream = (streamId: string): string => streamId.slice(STOCK.length);

export const reservationStreamId = (orderId: string): string => `${RESERVATION}${orderId}`;
