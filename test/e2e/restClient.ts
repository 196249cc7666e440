import { uniqueName, waitFor } from "@bazaar/testing";
import { expect } from "vitest";
import { api } from "./auth.js";

export type Json = Record<string, unknown>;

/**
 * The gateway's REST API as the test principal calls it: JSON in and out. `baseOf` answers the
 * gateway's base URL when a call is made (a test knows it only once its gateway started).
 */
export const restClient = (baseOf: () => string) => {
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    api(`${baseOf()}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const get = (path: string, headers: Record<string, string> = {}) => api(`${baseOf()}${path}`, { headers });
  const json = async (res: Response) => (await res.json()) as Json;
  /**
   * A kitchen product at 10 EUR with `stock` units on hand, once the catalog's read model serves
   * it (a saga's read step needs it there; ordering learns it from the same events); its id.
   */
  const newProduct = async (name: string, stock: number) => {
    const created = await post("/v1/products", { sku: uniqueName("SKU"), name, category: "kitchen", price: { amount: 1000, currency: "EUR" } });
    const { id } = (await json(created)) as { id: string };
    if (stock > 0) expect((await post(`/v1/inventory/${id}/restock`, { quantity: stock })).status).toBe(200);
    await waitFor("product known to the catalog read model", async () => ((await get(`/v1/products/${id}`)).status === 200 ? true : undefined));
    return id;
  };
  return { post, get, json, newProduct };
};
