import cassandra from "cassandra-driver";
import type { Money } from "../domain/orderEvents.js";

export interface ReplicatedProduct {
  productId: string;
  name: string;
  price: Money;
  status: "ACTIVE" | "DISCONTINUED";
  catalogVersion: number;
}

const { Long } = cassandra.types;

/**
 * Ordering's local copy of basic product data (the duplication pattern), fed by catalog events.
 * Every write carries `USING TIMESTAMP <catalog version>`, so per column the newest catalog
 * version wins whatever order events arrive in, without a lightweight transaction.
 */
export const createProductReplica = (client: cassandra.Client, keyspace: string) => {
  const table = `${keyspace}.product_replica`;
  const options = { prepare: true };
  const write = (assignments: string, params: unknown[], productId: string, version: number) =>
    client.execute(
      `UPDATE ${table} USING TIMESTAMP ? SET ${assignments}, catalog_version = ? WHERE product_id = ?`,
      [Long.fromNumber(version), ...params, Long.fromNumber(version), productId],
      options,
    );

  return {
    async get(productIds: readonly string[]): Promise<Map<string, ReplicatedProduct>> {
      if (productIds.length === 0) return new Map();
      const rows = await client.execute(
        `SELECT product_id, name, price_amount, price_currency, status, catalog_version FROM ${table} WHERE product_id IN ?`,
        [productIds],
        options,
      );
      return new Map(
        rows.rows
          .filter((row) => row.get("name") !== null)
          .map((row) => [
            row.get("product_id") as string,
            {
              productId: row.get("product_id") as string,
              name: row.get("name") as string,
              price: { amount: (row.get("price_amount") as cassandra.types.Long).toNumber(), currency: row.get("price_currency") as string },
              status: (row.get("status") as ReplicatedProduct["status"] | null) ?? "ACTIVE",
              catalogVersion: (row.get("catalog_version") as cassandra.types.Long).toNumber(),
            },
          ]),
      );
    },
    created: (p: { productId: string; name: string; price: Money }, version: number) =>
      write(
        "name = ?, price_amount = ?, price_currency = ?, status = ?",
        [p.name, Long.fromNumber(p.price.amount), p.price.currency, "ACTIVE"],
        p.productId,
        version,
      ),
    /** True when this rename is newer than the name the replica had. */
    async renamed(productId: string, name: string, version: number): Promise<boolean> {
      const row = (await client.execute(`SELECT WRITETIME(name) AS at FROM ${table} WHERE product_id = ?`, [productId], options)).first();
      const at = row?.get("at") as cassandra.types.Long | null | undefined;
      await write("name = ?", [name], productId, version);
      return !at || at.toNumber() < version;
    },
    priceChanged: (productId: string, price: Money, version: number) =>
      write("price_amount = ?, price_currency = ?", [Long.fromNumber(price.amount), price.currency], productId, version),
    discontinued: (productId: string, version: number) => write("status = ?", ["DISCONTINUED"], productId, version),
  };
};

export type ProductReplica = ReturnType<typeof createProductReplica>;

/** Which orders carry which product: where a rename has to go. */
export const createOrdersByProduct = (client: cassandra.Client, keyspace: string) => {
  const table = `${keyspace}.orders_by_product`;
  return {
    add: (productIds: readonly string[], orderId: string, at: Date) =>
      Promise.all(
        productIds.map((productId) =>
          client.execute(`INSERT INTO ${table} (product_id, order_id, added_at) VALUES (?, ?, ?)`, [productId, orderId, at], { prepare: true }),
        ),
      ),
    remove: (productId: string, orderId: string) =>
      client.execute(`DELETE FROM ${table} WHERE product_id = ? AND order_id = ?`, [productId, orderId], { prepare: true }),
    async *list(productId: string): AsyncGenerator<{ orderId: string; addedAt: Date }> {
      let pageState: string | undefined;
      do {
        const page = await client.execute(`SELECT order_id, added_at FROM ${table} WHERE product_id = ?`, [productId], {
          prepare: true,
          fetchSize: 500,
          pageState,
        });
        for (const row of page.rows) yield { orderId: row.get("order_id") as string, addedAt: row.get("added_at") as Date };
        pageState = page.pageState ?? undefined;
      } while (pageState);
    },
  };
};

export type OrdersByProduct = ReturnType<typeof createOrdersByProduct>;

export const ensureOrderingSchema = async (client: cassandra.Client, keyspace: string): Promise<void> => {
  await client.execute(
    `CREATE TABLE IF NOT EXISTS ${keyspace}.product_replica (product_id text PRIMARY KEY, name text, price_amount bigint, price_currency text, status text, catalog_version bigint)`,
  );
  await client.execute(
    `CREATE TABLE IF NOT EXISTS ${keyspace}.orders_by_product (product_id text, order_id text, added_at timestamp, PRIMARY KEY (product_id, order_id))`,
  );
};
