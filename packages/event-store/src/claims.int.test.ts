import { AlreadyExistsError, ConcurrencyError } from "@bazaar/core";
import { stack, uniqueName } from "@bazaar/testing";
import type cassandra from "cassandra-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectCassandra, ensureKeyspace } from "./cassandra.js";
import { createCassandraClaims, ensureClaimsSchema, withClaim, type UniqueClaims } from "./claims.js";

const keyspace = uniqueName("claims_test");
let client: cassandra.Client;
let claims: UniqueClaims;

beforeAll(async () => {
  client = await connectCassandra(stack.cassandra);
  await ensureKeyspace(client, keyspace, 1);
  await ensureClaimsSchema(client, keyspace, "sku_claims");
  claims = createCassandraClaims(client, keyspace, "sku_claims");
});

afterAll(async () => {
  await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await client.shutdown();
});

describe("unique claims", () => {
  it("gives a value to exactly one of many concurrent owners", async () => {
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => claims.claim("SKU-RACE", `owner-${i}`)));
    expect(outcomes.filter((o) => o === "acquired")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "taken")).toHaveLength(7);
    const winner = `owner-${outcomes.indexOf("acquired")}`;
    expect(await claims.ownerOf("SKU-RACE")).toBe(winner);
    expect(await claims.claim("SKU-RACE", winner)).toBe("held");
  });

  it("withClaim refuses a taken value, and releases a fresh claim when the command stored nothing", async () => {
    await withClaim(claims, { value: "SKU-A", owner: "p1", what: "SKU" }, async () => "created");
    await expect(withClaim(claims, { value: "SKU-A", owner: "p2", what: "SKU" }, async () => "never")).rejects.toBeInstanceOf(AlreadyExistsError);

    await expect(
      withClaim(claims, { value: "SKU-B", owner: "p3", what: "SKU" }, async () => {
        throw new ConcurrencyError("product-p3", 0);
      }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await claims.ownerOf("SKU-B")).toBeUndefined();
  });

  it("never releases a claim its owner already held (a retried create of an existing product)", async () => {
    await withClaim(claims, { value: "SKU-C", owner: "p4", what: "SKU" }, async () => "created");
    await expect(
      withClaim(claims, { value: "SKU-C", owner: "p4", what: "SKU" }, async () => {
        throw new AlreadyExistsError("product p4 already exists");
      }),
    ).rejects.toBeInstanceOf(AlreadyExistsError);
    expect(await claims.ownerOf("SKU-C")).toBe("p4");
  });
});
