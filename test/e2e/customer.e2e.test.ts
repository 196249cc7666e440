import { randomUUID } from "node:crypto";
import {
  CustomerCommandServiceClient,
  CustomerQueryServiceClient,
  type Address,
  type ChangeCustomerAddressRequest,
  type Customer,
  type RegisterCustomerRequest,
} from "@bazaar/contracts/customer/v1";
import { AlreadyExistsError, ConcurrencyError, NotFoundError, ValidationError } from "@bazaar/core";
import { connectCassandra } from "@bazaar/event-store";
import { callUnary } from "@bazaar/runtime";
import { connectStoresNats, stack, uniqueName, waitFor } from "@bazaar/testing";
import { jetstreamManager } from "@nats-io/jetstream";
import type cassandra from "cassandra-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startContextAlone, type ContextAlone } from "./contexts.js";
import { asGateway } from "./grpcClients.js";

/**
 * The built customer service as a real process on the real stack, in a namespace of its own,
 * spoken to over gRPC with the generated clients: gRPC → Cassandra → JetStream → Elasticsearch.
 */
const namespace = uniqueName("c").replace(/_/g, "").slice(0, 20);
const keyspace = `customer_${namespace}`;
const streamName = `${namespace.toUpperCase()}_CUSTOMER`;
const timeoutMs = 10_000;

let customer: ContextAlone;
let commands: CustomerCommandServiceClient;
let queries: CustomerQueryServiceClient;
let cql: cassandra.Client;

beforeAll(async () => {
  customer = await startContextAlone("customer", namespace);
  commands = new CustomerCommandServiceClient(customer.address, ...asGateway);
  queries = new CustomerQueryServiceClient(customer.address, ...asGateway);
  cql = await connectCassandra(stack.cassandra);
});

afterAll(async () => {
  commands?.close();
  queries?.close();
  await cql?.shutdown();
  await customer?.stopCleanly();
});

const register = (request: Partial<RegisterCustomerRequest>) =>
  callUnary(commands.registerCustomer.bind(commands), { customerId: "", name: "", email: "", address: undefined, ...request }, { timeoutMs });
const changeAddress = (request: Partial<ChangeCustomerAddressRequest>) =>
  callUnary(commands.changeCustomerAddress.bind(commands), { customerId: "", address: undefined, expectedVersion: 0, ...request }, { timeoutMs });
const getCustomer = (customerId: string) => callUnary(queries.getCustomer.bind(queries), { customerId }, { timeoutMs });

/** The customer once the read model has it at `version` or later. */
const customerAt = (customerId: string, version: number): Promise<Customer> =>
  waitFor(`customer ${customerId} at version ${version} in the read model`, async () => {
    try {
      const { customer } = await getCustomer(customerId);
      return customer && customer.version >= version ? customer : undefined;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  });

const rejection = async (call: Promise<unknown>): Promise<Error> => {
  try {
    await call;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the call to fail");
};

const violatedFields = (error: Error) => (error instanceof ValidationError ? error.violations.map((v) => v.field) : [`not a ValidationError: ${error.name}`]);

const storedEvents = async (): Promise<number> => (await cql.execute(`SELECT count(*) AS n FROM ${keyspace}.events`)).first().get("n").toNumber();

const home: Address = { line1: "Hauptstraße 1", line2: "", postalCode: "10115", city: "Berlin", country: "DE" };
const office: Address = { line1: "1 Main Street", line2: "Suite 200", postalCode: "SW1A 1AA", city: "London", country: "GB" };
const uniqueEmail = () => `ada.${randomUUID().slice(0, 8)}@example.com`;

describe("customers through the gRPC API", () => {
  it("registers a customer, serves it from the read model, and moves it to a new address", async () => {
    const email = uniqueEmail();
    const registered = await register({ name: "  Ada Lovelace ", email: ` ${email.toUpperCase()}`, address: home });
    const { customerId } = registered;
    expect(customerId).toMatch(/^[0-9a-f-]{36}$/);
    expect(registered.position).toEqual({ streamId: `customer-${customerId}`, version: 1 });

    expect(await customerAt(customerId, 1)).toEqual({ customerId, name: "Ada Lovelace", email, address: home, version: 1 });

    const moved = await changeAddress({ customerId, address: office, expectedVersion: 1 });
    expect(moved.position).toEqual({ streamId: `customer-${customerId}`, version: 2 });
    expect(await customerAt(customerId, 2)).toEqual({ customerId, name: "Ada Lovelace", email, address: office, version: 2 });

    // A stale expected version is a conflict (ABORTED); the same address again changes nothing.
    expect(await rejection(changeAddress({ customerId, address: home, expectedVersion: 1 }))).toBeInstanceOf(ConcurrencyError);
    expect((await changeAddress({ customerId, address: office })).position?.version).toBe(2);
    expect((await getCustomer(customerId)).customer).toMatchObject({ address: office, version: 2 });
  });

  it("registers under a caller-chosen id", async () => {
    const customerId = randomUUID();
    const registered = await register({ customerId, name: "Grace Hopper", email: uniqueEmail(), address: home });
    expect(registered.customerId).toBe(customerId);
    expect((await customerAt(customerId, 1)).name).toBe("Grace Hopper");
    expect(await rejection(register({ customerId, name: "Grace Hopper", email: uniqueEmail(), address: home }))).toBeInstanceOf(AlreadyExistsError);
  });

  it("refuses an email another customer has, whatever its case (ALREADY_EXISTS), and stores nothing", async () => {
    const email = uniqueEmail();
    await register({ name: "Ada", email, address: home });
    const before = await storedEvents();
    const error = await rejection(register({ name: "Impostor", email: email.toUpperCase(), address: office }));
    expect(error).toBeInstanceOf(AlreadyExistsError);
    expect(error.message).toBe(`email ${email} is already taken`);
    expect(await storedEvents()).toBe(before);
  });

  it("refuses a bad email (INVALID_ARGUMENT naming `email`), and stores nothing", async () => {
    const before = await storedEvents();
    const error = await rejection(register({ name: "Ada", email: "ada.example.com", address: home }));
    expect(violatedFields(error)).toEqual(["email"]);
    expect(await storedEvents()).toBe(before);
  });

  it("names every bad field at once, with its path", async () => {
    const error = await rejection(register({ name: " ", email: uniqueEmail(), address: { ...home, postalCode: "", country: "de" } }));
    expect(violatedFields(error)).toEqual(["name", "address.postalCode", "address.country"]);
  });

  it("refuses a missing address (INVALID_ARGUMENT naming `address`)", async () => {
    expect(violatedFields(await rejection(register({ name: "Ada", email: uniqueEmail() })))).toEqual(["address"]);
    const { customerId } = await register({ name: "Ada", email: uniqueEmail(), address: home });
    expect(violatedFields(await rejection(changeAddress({ customerId })))).toEqual(["address"]);
  });

  it("refuses ids that are not UUIDs (INVALID_ARGUMENT naming `customerId`)", async () => {
    expect(violatedFields(await rejection(register({ customerId: "nope", name: "Ada", email: uniqueEmail(), address: home })))).toEqual(["customerId"]);
    expect(violatedFields(await rejection(changeAddress({ customerId: "nope", address: home })))).toEqual(["customerId"]);
    expect(violatedFields(await rejection(getCustomer("nope")))).toEqual(["customerId"]);
  });

  it("answers NOT_FOUND for a customer nobody registered", async () => {
    const unknown = randomUUID();
    expect(await rejection(getCustomer(unknown))).toBeInstanceOf(NotFoundError);
    expect(await rejection(changeAddress({ customerId: unknown, address: home }))).toBeInstanceOf(NotFoundError);
  });

  it("publishes every stored event to the context's JetStream stream", async () => {
    const stored = await storedEvents();
    expect(stored).toBeGreaterThan(0);
    const nc = await connectStoresNats(stack);
    try {
      const jsm = await jetstreamManager(nc);
      const published = await waitFor("every stored event published", async () => {
        const { state } = await jsm.streams.info(streamName);
        return state.messages === stored ? state.messages : undefined;
      });
      expect(published).toBe(stored);
    } finally {
      await nc.close();
    }
  });
});
