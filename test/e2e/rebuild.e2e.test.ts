import { connectElasticsearch, indicesOf } from "@bazaar/projections";
import { stack, waitFor } from "@bazaar/testing";
import type { Client } from "@elastic/elasticsearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "./auth.js";
import { newProduct, postJson, startPlatform, type Platform } from "./platform.js";

/** Rebuild with zero downtime and verify, under live reads and writes. */
let platform: Platform;
let es: Client;
let projection: string;
let alias: string;

beforeAll(async () => {
  platform = await startPlatform();
  es = connectElasticsearch(stack.elasticsearch);
  projection = `${platform.namespace}-catalog-product-search`;
  alias = `${platform.namespace}-catalog-products`;
});

afterAll(async () => {
  await es?.close();
  await platform?.stop();
  await platform?.cleanup();
});

const create = async (name: string): Promise<string> => {
  const res = await postJson(`${platform.base}/v1/products`, newProduct(name));
  if (res.status !== 201) throw new Error(`create answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
};

const visible = (ids: string[]) =>
  waitFor(
    `${ids.length} products in the read model`,
    async () => {
      const docs = await es.mget({ index: alias, ids, _source: false });
      return docs.docs.every((d) => "found" in d && d.found) ? true : undefined;
    },
    { timeoutMs: 60_000 },
  );

describe("bazaar projections rebuild", () => {
  it("rebuilds from the event store while queries and commands keep succeeding, then verifies clean", async () => {
    const ids: string[] = [];
    for (let batch = 0; batch < 10; batch++) ids.push(...(await Promise.all(Array.from({ length: 20 }, (_, i) => create(`Seed mug ${batch}-${i}`)))));
    await visible(ids);
    // Search sees documents after a refresh; the live readers below expect all of them.
    await waitFor("seeded products searchable", async () => {
      const search = (await (await api(`${platform.base}/v1/products?q=seed&limit=1`)).json()) as { total: number };
      return search.total === ids.length ? true : undefined;
    });
    const before = await indicesOf(es, alias);

    // Live traffic for as long as the rebuild runs: reads by id and by search, and new products.
    let running = true;
    const failures: string[] = [];
    let reads = 0;
    const written: string[] = [];
    const reader = async () => {
      while (running) {
        const id = ids[reads % ids.length]!;
        const byId = await api(`${platform.base}/v1/products/${id}`);
        const search = await api(`${platform.base}/v1/products?q=seed&limit=5`);
        const found = ((await search.json()) as { total: number }).total;
        if (byId.status !== 200) failures.push(`GET ${id} → ${byId.status}`);
        if (search.status !== 200 || found < ids.length) failures.push(`search → ${search.status}, total ${found}`);
        reads++;
      }
    };
    const writer = async () => {
      while (running) written.push(await create(`Live mug ${written.length}`));
    };
    const traffic = [reader(), reader(), writer()];

    const { code, output } = await platform.cli(["projections", "rebuild", projection]);
    running = false;
    await Promise.all(traffic);
    expect(output).toMatch(/rebuild .*: \d+ documents from \d+ streams/);
    expect(code).toBe(0);

    expect(failures).toEqual([]);
    expect(reads).toBeGreaterThan(10);
    expect(written.length).toBeGreaterThan(0);
    const after = await indicesOf(es, alias);
    expect(after).toHaveLength(1);
    expect(before).not.toContain(after[0]);
    expect(await es.indices.exists({ index: before[0]! })).toBe(false);

    await visible([...ids, ...written]);
    const verify = await platform.cli(["projections", "verify", projection]);
    expect(verify.output).toMatch(new RegExp(`clean — ${ids.length + written.length} documents`));
    expect(verify.code).toBe(0);
  });

  it("verify fails with a readable diff when a document differs from its stream", async () => {
    const id = await create("Tampered mug");
    await visible([id]);
    const doc = await es.get<{ name: string }>({ index: alias, id });
    await es.index({ index: alias, id, document: { ...doc._source, name: "Wrong name" }, version: doc._version!, version_type: "external_gte" });
    const { code, output } = await platform.cli(["projections", "verify", projection]);
    expect(code).toBe(1);
    expect(output).toContain(`- ${id} (version 1):`);
    expect(output).toContain('name: expected "Tampered mug", found "Wrong name"');
  });
});
