export interface Restock {
  type: "Restock";
  data: { productId: string; quantity: number };
}

export interface ReserveStock {
  type: "ReserveStock";
  data: { productId: string; orderId: string; quantity: number };
}

export interface ReleaseStock {
  type: "ReleaseStock";
  data: { productId: string; orderId: string };
}

export type StockItemCommand = Restock | ReserveStock | ReleaseStock;
