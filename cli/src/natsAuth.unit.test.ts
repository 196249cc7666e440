import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ADMIN_NATS_USER, natsAuthHeader, natsUsers, renderNatsAuthorization } from "./natsAuth.js";
import { serviceContexts } from "./registry.js";

const LOCAL_NAMESPACES = ["", "authz"];

describe("bazaar nats-auth", () => {
  it("wrote the local stack's users (deploy/local/nats-auth.conf): the file is what the contexts declare today", () => {
    const committed = readFileSync(new URL("../../deploy/local/nats-auth.conf", import.meta.url), "utf8");
    // On a difference: node cli/dist/main.js nats-auth --namespace '' --namespace authz > deploy/local/nats-auth.conf
    expect(committed).toBe(renderNatsAuthorization(natsUsers(serviceContexts, LOCAL_NAMESPACES), natsAuthHeader(LOCAL_NAMESPACES)));
  });

  it("gives each context its own events to publish and only the streams it reads, and the gateway nothing to publish", () => {
    const users = new Map(natsUsers(serviceContexts, ["prod"]).map((u) => [u.user, u]));
    expect(users.get(ADMIN_NATS_USER)?.permissions).toBeUndefined();
    const inventory = users.get("prod-inventory")!.permissions!;
    expect(inventory.publish).toContain("prod.inventory.events.>");
    expect(inventory.publish).toContain("$JS.API.CONSUMER.MSG.NEXT.PROD_ORDERING.>");
    expect(inventory.publish.some((subject) => subject.includes("CATALOG") || subject.startsWith("prod.ordering"))).toBe(false);
    expect(inventory.publish.some((subject) => /STREAM\.(CREATE|UPDATE|DELETE|PURGE)|CONSUMER\.DELETE/.test(subject))).toBe(false);
    expect(inventory.subscribe).toEqual(["_INBOX.>"]);
    const gateway = users.get("prod-gateway")!.permissions!;
    expect(gateway.publish.every((subject) => subject.startsWith("$JS.API.") && !/CREATE|UPDATE|DELETE|MSG/.test(subject))).toBe(true);
    expect(renderNatsAuthorization([...users.values()], "#")).toContain('{ user: "prod-catalog", password: $CATALOG_NATS_PASSWORD,');
  });
});
