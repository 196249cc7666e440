import { AlreadyExistsError, NotFoundError, ValidationError } from "@bazaar/core";
import { deciderSpec, refusedFields } from "@bazaar/testing";
import { describe, expect, it } from "vitest";
import type { ChangeCustomerAddress, RegisterCustomer } from "./customerCommands.js";
import { customerDecider } from "./customerDecider.js";
import type { Address, CustomerAddressUpdated, CustomerRegistered } from "./customerEvents.js";

const spec = deciderSpec(customerDecider);
const customerId = "0f8a5b0e-1c1d-4e55-9a57-3a1c2b3d4e5f";

const home: Address = { line1: "Hauptstraße 1", line2: "", postalCode: "10115", city: "Berlin", country: "DE" };
const office: Address = { line1: "1 Main Street", line2: "Suite 200", postalCode: "SW1A 1AA", city: "London", country: "GB" };

const register = (overrides: Partial<RegisterCustomer["data"]> = {}): RegisterCustomer => ({
  type: "RegisterCustomer",
  data: { customerId, name: "Ada Lovelace", email: "ada@example.com", address: home, ...overrides },
});

const changeAddress = (address: Partial<Address> = {}): ChangeCustomerAddress => ({
  type: "ChangeCustomerAddress",
  data: { customerId, address: { ...office, ...address } },
});

const registered = (data: Partial<CustomerRegistered["data"]> = {}): CustomerRegistered => ({
  type: "customer.CustomerRegistered.v1",
  data: { customerId, name: "Ada Lovelace", email: "ada@example.com", address: home, ...data },
});

const addressUpdated = (address: Address): CustomerAddressUpdated => ({ type: "customer.CustomerAddressUpdated.v1", data: { customerId, address } });

/** The fields a ValidationError names, in order. */
const refused = (when: RegisterCustomer | ChangeCustomerAddress, given = when.type === "RegisterCustomer" ? [] : [registered()]) =>
  refusedFields(() => customerDecider.decide(when, given.reduce(customerDecider.evolve, customerDecider.initialState())));

describe("customer decider: RegisterCustomer", () => {
  it("registers a customer that does not exist yet", () => {
    spec.given([]).when(register()).then([registered()]);
  });

  it("records the name trimmed, the email trimmed and in lower case, the address trimmed", () => {
    spec
      .given([])
      .when(register({ name: "  Ada Lovelace ", email: "  Ada.Lovelace@Example.COM ", address: { ...home, line1: " Hauptstraße 1 ", city: "Berlin  " } }))
      .then([registered({ email: "ada.lovelace@example.com" })]);
  });

  it("takes the same registration again (a retry: same id, same email) as done: nothing new", () => {
    spec
      .given([registered()])
      .when(register({ email: "  ADA@example.com " }))
      .then([]);
  });

  it("refuses to register another customer under an existing id", () => {
    spec
      .given([registered()])
      .when(register({ email: "other@example.com" }))
      .thenThrows(AlreadyExistsError, { message: `customer ${customerId} already exists` });
  });

  it.each([
    ["blank", "   ", "must not be blank"],
    ["longer than 200 characters", "x".repeat(201), "must be at most 200 characters"],
  ])("refuses a %s name", (_label, name, message) => {
    spec
      .given([])
      .when(register({ name }))
      .thenThrows(ValidationError, { violations: [{ field: "name", message }] });
  });

  it("accepts a name of exactly 200 characters once trimmed", () => {
    const name = "x".repeat(200);
    spec
      .given([])
      .when(register({ name: ` ${name} ` }))
      .then([registered({ name })]);
  });

  it.each([
    ["blank", "  "],
    ["without @", "ada.example.com"],
    ["without a domain", "ada@"],
    ["without a local part", "@example.com"],
    ["with a single-label domain", "ada@localhost"],
    ["with two @", "ada@lovelace@example.com"],
    ["with a space inside", "ada lovelace@example.com"],
    ["with consecutive dots", "ada..lovelace@example.com"],
    ["with a leading dot", ".ada@example.com"],
    ["with a domain label starting with a dash", "ada@-example.com"],
    ["with a local part over 64 characters", `${"a".repeat(65)}@example.com`],
  ])("refuses an email %s", (_label, email) => {
    spec
      .given([])
      .when(register({ email }))
      .thenThrows(ValidationError, { violations: [expect.objectContaining({ field: "email" })] });
  });

  describe("email length", () => {
    const domain = `${"a".repeat(60)}.${"b".repeat(60)}.${"c".repeat(60)}.${"d".repeat(60)}.com`;

    it("accepts an email of exactly 254 characters", () => {
      const email = `abcdef@${domain}`;
      expect(email).toHaveLength(254);
      spec
        .given([])
        .when(register({ email }))
        .then([registered({ email })]);
    });

    it("refuses an email longer than 254 characters", () => {
      const email = `abcdefg@${domain}`;
      expect(email).toHaveLength(255);
      spec
        .given([])
        .when(register({ email }))
        .thenThrows(ValidationError, { violations: [{ field: "email", message: "must be at most 254 characters" }] });
    });
  });

  it.each(["o'brien+shop@mail.example.co.uk", "x@a.io", "first.last@xn--bcher-kva.example"])("accepts the email %s", (email) => {
    spec
      .given([])
      .when(register({ email }))
      .then([registered({ email })]);
  });

  it.each([
    ["line1", { line1: " " }, "must not be blank"],
    ["line1", { line1: "x".repeat(201) }, "must be at most 200 characters"],
    ["line2", { line2: "x".repeat(201) }, "must be at most 200 characters"],
    ["postalCode", { postalCode: "" }, "must not be blank"],
    ["postalCode", { postalCode: "1".repeat(21) }, "must be at most 20 characters"],
    ["postalCode", { postalCode: "10115!" }, "must be letters, digits, spaces or dashes, starting and ending with a letter or digit"],
    ["postalCode", { postalCode: "-10115" }, "must be letters, digits, spaces or dashes, starting and ending with a letter or digit"],
    ["city", { city: "" }, "must not be blank"],
    ["city", { city: "x".repeat(101) }, "must be at most 100 characters"],
    ["country", { country: "de" }, "must be an ISO 3166-1 alpha-2 code in upper case, such as DE"],
    ["country", { country: "DEU" }, "must be an ISO 3166-1 alpha-2 code in upper case, such as DE"],
    ["country", { country: "" }, "must be an ISO 3166-1 alpha-2 code in upper case, such as DE"],
    ["country", { country: "D1" }, "must be an ISO 3166-1 alpha-2 code in upper case, such as DE"],
  ])("refuses a bad address.%s (%j), naming the field", (field, bad, message) => {
    spec
      .given([])
      .when(register({ address: { ...home, ...bad } }))
      .thenThrows(ValidationError, { violations: [{ field: `address.${field}`, message }] });
  });

  it("accepts an address with an empty line2 and a postal code with spaces and dashes", () => {
    const address = { ...office, line2: "", postalCode: "AB-12 3CD" };
    spec
      .given([])
      .when(register({ address }))
      .then([registered({ address })]);
  });

  it("reports every violation at once, each with its field path", () => {
    expect(refused(register({ name: "", email: "nope", address: { line1: "", line2: "", postalCode: "", city: "", country: "xx" } }))).toEqual([
      "name",
      "email",
      "address.line1",
      "address.postalCode",
      "address.city",
      "address.country",
    ]);
  });
});

describe("customer decider: ChangeCustomerAddress", () => {
  it("moves a registered customer to a new address", () => {
    spec
      .given([registered()])
      .when(changeAddress())
      .then([addressUpdated(office)]);
  });

  it("records the new address trimmed", () => {
    spec
      .given([registered()])
      .when(changeAddress({ line1: "  1 Main Street ", city: " London" }))
      .then([addressUpdated(office)]);
  });

  it("moves again after an earlier move, from the latest address", () => {
    spec
      .given([registered(), addressUpdated(office)])
      .when(changeAddress(home))
      .then([addressUpdated(home)]);
  });

  it("decides nothing when the address is the one already on record (idempotent)", () => {
    spec
      .given([registered(), addressUpdated(office)])
      .when(changeAddress())
      .then([]);
    spec
      .given([registered()])
      .when(changeAddress({ ...home, city: " Berlin " }))
      .then([]);
  });

  it("refuses to change the address of a customer that does not exist", () => {
    spec
      .given([])
      .when(changeAddress())
      .thenThrows(NotFoundError, { message: `customer ${customerId} not found` });
  });

  it("refuses a bad address, naming every bad field under address.", () => {
    expect(refused(changeAddress({ line1: "", line2: "y".repeat(201), postalCode: "#", city: "", country: "Germany" }))).toEqual([
      "address.line1",
      "address.line2",
      "address.postalCode",
      "address.city",
      "address.country",
    ]);
  });

  it.each([
    ["country", { country: "gb" }],
    ["postalCode", { postalCode: "SW1A_1AA" }],
    ["line1", { line1: "" }],
    ["city", { city: "c".repeat(101) }],
  ])("refuses a bad address.%s", (field, bad) => {
    spec
      .given([registered()])
      .when(changeAddress(bad))
      .thenThrows(ValidationError, { violations: [expect.objectContaining({ field: `address.${field}` })] });
  });
});
