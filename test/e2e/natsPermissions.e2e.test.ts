import { randomUUID } from "node:crypto";
import { ValidationError } from "@bazaar/core";
import { CatalogCommandServiceClient, CatalogQueryServiceClient } from "@bazaar/contracts/catalog/v1";
import { InventoryCommandServiceClient } from "@bazaar/contracts/inventory/v1";
import { OrderFlow, OrderingCommandServiceClient, OrderingQueryServiceClient, OrderStatus } from "@bazaar/contracts/ordering/v1";
import { callUnary } from "@bazaar/runtime";
import { connectStoresNats, runProcess, stack, stackNatsPassword, storesEnv, uniqueName, waitFor } from "@bazaar/testing";
import { jetstream, jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "./auth.js";
import { cleanupNamespace } from "./cleanup.js";
import { startContexts, type ContextName, type Contexts } from "./contexts.js";
import { asGateway } from "./grpcClients.js";
import { root } from "./platform.js";

/**
 * The NATS server itself keeps each process to its own (deploy/local/nats-auth.conf, written by
 * `bazaar nats-auth`): a context publishes only its own events, reads only the streams it
 * consumes, administers none; the gateway only reads the pipeline's state. Its users exist for
 * the default namespace and for `authz`, this test's (one run at a time), so the processes here
 * run exactly as they would in production: provisioned by `bazaar migrate` as the admin, then
 * each logged in as its own user, only checking what is there.
 */
const NAMESPACE = "authz";
const CONTEXTS: ContextName[] = ["catalog", "inventory", "ordering"];
const keyspaces = [...CONTEXTS, "customer", "gateway"].map((name) => `${name}_${NAMESPACE}`);
const login = (name: string) => ({ NATS_USER: `${NAMESPACE}-${name}`, NATS_PASSWORD: stackNatsPassword(name) });
const servers = stack.nats.servers;
const stream = (context: string) => `${NAMESPACE.toUpperCase()}_${context.toUpperCase()}`;
const timeoutMs = 10_000;

let contexts: Contexts;
let admin: NatsConnection;
let adminJsm: JetStreamManager;

beforeAll(async () => {
  // A run that died left its streams and keyspaces: this namespace is always the same one.
  await cleanupNamespace(NAMESPACE, keyspaces);
  const migrate = await runProcess(
    `${root}cli/dist/main.js`,
    ["migrate"],
    {
      ...storesEnv(stack),
      BAZAAR_NAMESPACE: NAMESPACE,
      GATEWAY_KEYSPACE: `gateway_${NAMESPACE}`,
      ...Object.fromEntries([...CONTEXTS, "customer"].map((name) => [`${name.toUpperCase()}_KEYSPACE`, `${name}_${NAMESPACE}`])),
    },
    180_000,
  );
  expect(migrate.code, migrate.output).toBe(0);
  const check = { BAZAAR_PROVISIONING: "check" };
  contexts = await startContexts(CONTEXTS, Object.fromEntries(CONTEXTS.map((name) => [name, { ...check, ...login(name) }])), stack, NAMESPACE);
  admin = await connectStoresNats(stack);
  adminJsm = await jetstreamManager(admin);
}, 240_000);

afterAll(async () => {
  await admin?.close();
  await contexts?.stopAll();
  await cleanupNamespace(NAMESPACE, keyspaces);
});

/** A connection as one of this namespace's users; every refusal it meets is collected. */
const connectAs = async (name: string) => {
  const nc = await connect({ servers, user: `${NAMESPACE}-${name}`, pass: stackNatsPassword(name) });
  return { nc, js: jetstream(nc), jsm: await jetstreamManager(nc) };
};

/** What became of an attempt: "allowed", or the server's refusal. */
const outcome = (attempt: Promise<unknown>) =>
  attempt.then(
    () => "allowed",
    (error: unknown) => ((error as Error).message.startsWith("Permissions Violation") ? "refused" : `failed otherwise: ${(error as Error).message}`),
  );

describe("NATS users and permissions", () => {
  it("runs catalog, inventory and ordering each on its own user: a product is created, projected, replicated, and an order is confirmed through the choreography", async () => {
    const catalog = new CatalogCommandServiceClient(contexts.address("catalog"), ...asGateway);
    const search = new CatalogQueryServiceClient(contexts.address("catalog"), ...asGateway);
    const inventory = new InventoryCommandServiceClient(contexts.address("inventory"), ...asGateway);
    const ordering = new OrderingCommandServiceClient(contexts.address("ordering"), ...asGateway);
    const orders = new OrderingQueryServiceClient(contexts.address("ordering"), ...asGateway);
    try {
      const { productId } = await callUnary(
        catalog.createProduct.bind(catalog),
        {
          productId: randomUUID(),
          sku: uniqueName("SKU"),
          name: "Permitted kettle",
          description: "",
          category: "kitchen",
          price: { amount: 2599, currency: "EUR" },
          attributes: {},
        },
        { timeoutMs },
      );
      await callUnary(inventory.restock.bind(inventory), { productId, quantity: 3 }, { timeoutMs });
      // Projected: the catalog's projector read its own stream into the search model.
      const projected = await waitFor(
        "the product in the search model",
        async () => (await callUnary(search.getProduct.bind(search), { productId }, { timeoutMs }).catch(() => undefined))?.product,
        { timeoutMs: 30_000 },
      );
      expect(projected).toMatchObject({ productId, name: "Permitted kettle" });
      // Ordering knows the product once its replica reaction read the catalog's stream.
      const placed = await waitFor(
        "order placed",
        async () => {
          try {
            return await callUnary(
              ordering.placeOrder.bind(ordering),
              { orderId: randomUUID(), customerId: randomUUID(), lines: [{ productId, quantity: 1 }], flow: OrderFlow.ORDER_FLOW_ASYNC },
              { timeoutMs },
            );
          } catch (error) {
            if (error instanceof ValidationError && /unknown product/.test(error.message)) return undefined;
            throw error;
          }
        },
        { timeoutMs: 30_000 },
      );
      // Confirmed: ordering published OrderPlaced, inventory read it and published its reservation, ordering read that.
      const orderId = placed.order!.orderId;
      const confirmed = await waitFor(
        "order confirmed",
        async () => {
          const { order } = await callUnary(orders.getOrder.bind(orders), { orderId }, { timeoutMs }).catch(() => ({ order: undefined }));
          return order?.status === OrderStatus.ORDER_STATUS_CONFIRMED ? order : undefined;
        },
        { timeoutMs: 30_000 },
      );
      expect(confirmed.lines[0]).toMatchObject({ productId, productName: "Permitted kettle" });
      // No process met a refusal on the way.
      for (const name of CONTEXTS) expect(contexts.output(name)).not.toMatch(/Permissions Violation/);
    } finally {
      for (const client of [catalog, search, inventory, ordering, orders]) client.close();
    }
  });

  it("refuses the catalog's user everything that is not its own: ordering's subjects, other streams' consumers, any stream administration", async () => {
    const { nc, js, jsm } = await connectAs("catalog");
    try {
      const subscription = nc.subscribe(`${NAMESPACE}.ordering.events.>`);
      const subscribed = outcome(
        (async () => {
          for await (const message of subscription) return message;
          return undefined;
        })(),
      );
      expect({
        publishOrdering: await outcome(js.publish(`${NAMESPACE}.ordering.events.order-${randomUUID()}.OrderPlaced`, "{}")),
        subscribeOrdering: await subscribed,
        consumerOnOrdering: await outcome(jsm.consumers.add(stream("ordering"), { durable_name: "sneak", ack_policy: "explicit" as never })),
        readOrderingStream: await outcome(jsm.streams.info(stream("ordering"))),
        deleteOrdering: await outcome(jsm.streams.delete(stream("ordering"))),
        purgeOrdering: await outcome(jsm.streams.purge(stream("ordering"))),
        createStream: await outcome(jsm.streams.add({ name: stream("sneaky"), subjects: [`${NAMESPACE}.sneaky.>`] })),
        changeOwnStream: await outcome(jsm.streams.update(stream("catalog"), { max_msgs: 1 })),
        deleteOwnConsumer: await outcome(jsm.consumers.delete(stream("catalog"), `${NAMESPACE}-catalog-product-search`)),
        // Its own: the stream's state, as its processes read it.
        readOwnStream: await outcome(jsm.streams.info(stream("catalog"))),
      }).toEqual({
        publishOrdering: "refused",
        subscribeOrdering: "refused",
        consumerOnOrdering: "refused",
        readOrderingStream: "refused",
        deleteOrdering: "refused",
        purgeOrdering: "refused",
        createStream: "refused",
        changeOwnStream: "refused",
        deleteOwnConsumer: "refused",
        readOwnStream: "allowed",
      });
    } finally {
      await nc.close();
    }
    // Nothing of it happened: ordering's stream and the catalog's are as migrate left them.
    expect((await adminJsm.streams.info(stream("ordering"))).config.name).toBe(stream("ordering"));
    expect((await adminJsm.streams.info(stream("catalog"))).config.max_msgs).toBe(-1);
    await expect(adminJsm.streams.info(stream("sneaky"))).rejects.toThrow(/stream not found/);
  });

  it("lets the gateway's user read the pipeline's state and nothing else", async () => {
    const gateway = await contexts.startGateway(login("gateway"));
    try {
      const response = await api(`${gateway.base}/v1/operations/pipeline`);
      expect(response.status, await response.clone().text()).toBe(200);
      const body = (await response.json()) as { consumers: { consumer: string }[] };
      expect(body.consumers.map((c) => c.consumer)).toContain(`${NAMESPACE}-catalog-product-search`);
    } finally {
      await gateway.process.stop();
    }
    const { nc, js, jsm } = await connectAs("gateway");
    try {
      expect({
        publishCatalog: await outcome(js.publish(`${NAMESPACE}.catalog.events.product-${randomUUID()}.ProductCreated`, "{}")),
        consumer: await outcome(jsm.consumers.add(stream("catalog"), { durable_name: "sneak", ack_policy: "explicit" as never })),
        deleteStream: await outcome(jsm.streams.delete(stream("catalog"))),
      }).toEqual({ publishCatalog: "refused", consumer: "refused", deleteStream: "refused" });
    } finally {
      await nc.close();
    }
  });

  it("refuses a connection without a login, or with a wrong password", async () => {
    await expect(connect({ servers, reconnect: false })).rejects.toThrow(/Authorization Violation/);
    await expect(connect({ servers, reconnect: false, user: `${NAMESPACE}-catalog`, pass: "not-the-password" })).rejects.toThrow(/Authorization Violation/);
  });
});
