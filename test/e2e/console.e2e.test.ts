import { repoRoot, stack, startPlatform, startProcess, uniqueName, waitFor, type RunningProcess } from "@bazaar/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeScan, launchChromium, screenshot, type AxeViolation } from "./consoleBrowser.js";

/**
 * The web console (console/, served by the gateway at /console) in a real browser — Debian's
 * chromium driven by playwright-core — against a real platform: every task through the UI,
 * browser-side validation, a server-side rule shown beside its field, a compensated sync rename,
 * a stale read, the hybrid order read degraded, and an axe-core scan of every page.
 * The customer context's projector runs as a process of its own, so the test can stop it and
 * make the customer read model fall behind (stale) on purpose.
 */
type Platform = Awaited<ReturnType<typeof startPlatform>>;
let platform: Platform;
let customerProjector: RunningProcess | undefined;
let browser: Browser;
let page: Page;
let base: string;
/** Method and path of every API request the page made. */
const requests: string[] = [];
/** Anything the CSP blocked, and uncaught page errors. */
const pageErrors: string[] = [];
const seriousViolations: (AxeViolation & { page: string })[] = [];

const startCustomerProjector = (namespace: string) =>
  startProcess({
    name: "customer projector",
    script: `${repoRoot}services/customer/dist/main.js`,
    env: {
      BAZAAR_MODE: "development",
      BAZAAR_NAMESPACE: namespace,
      CUSTOMER_KEYSPACE: `customer_${namespace}`,
      CUSTOMER_ROLES: "projector",
      CUSTOMER_METRICS_PORT: "0",
      CASSANDRA_CONTACT_POINTS: stack.cassandra.contactPoints.join(","),
      NATS_SERVERS: stack.nats.servers.join(","),
      ELASTICSEARCH_URL: stack.elasticsearch.node,
    },
    readyLine: "customer ready",
    timeoutMs: 60_000,
  });

beforeAll(async () => {
  platform = await startPlatform(() => undefined, {
    prefix: "console",
    env: {
      customer: { CUSTOMER_ROLES: "command,query" },
      // Product details are cached briefly, so the degraded read shows soon after the catalog stops.
      ordering: { PRODUCT_DETAILS_CACHE_TTL_MS: "300" },
    },
  });
  customerProjector = await startCustomerProjector(platform.namespace);
  base = `${platform.base}/console/`;
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/v1/")) requests.push(`${request.method()} ${url.pathname}`);
  });
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
  });
  page.on("pageerror", (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await customerProjector?.stop();
  await platform?.stopAndDrop();
});

/** Screenshot and accessibility scan of the page as it stands. */
const record = async (name: string) => {
  await screenshot(page, name);
  const { violations, passes } = await axeScan(page);
  // A scan that checked nothing would pass anything.
  expect(passes, `axe checked nothing on ${name}`).toBeGreaterThan(5);
  seriousViolations.push(
    ...violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical").map((violation) => ({ ...violation, page: name })),
  );
};
const go = (hash: string) => page.goto(`${base}#/${hash}`);
const button = (name: string) => page.getByRole("button", { name, exact: true });
const field = (label: string) => page.getByLabel(label, { exact: true });
const fieldError = (name: string) => page.locator(`.field-error[data-field="${name}"]`);
const idInHash = async (section: string) => {
  await page.waitForURL(new RegExp(`#/${section}/[0-9a-f-]{36}$`));
  return new URL(page.url()).hash.split("/")[2]!;
};

let productId = "";
let productName = "";
let customerId = "";

describe("the web console in a browser", () => {
  it("signs in with the development token (development mode only) and runs under the CSP", async () => {
    await page.goto(base);
    await expect(page.getByRole("heading", { name: "Sign in" }).isVisible()).resolves.toBe(true);
    await record("sign-in");
    await button("Use the development token").click();
    await page.getByRole("navigation", { name: "Main" }).waitFor();
    await page.getByRole("heading", { name: "Products" }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("stops a bad product in the browser without a request, then adds a good one", async () => {
    await go("products");
    await field("SKU").fill("");
    await field("Name").fill("Console mug");
    await field("Category").fill("kitchen");
    await field("Price (cents)").fill("-5");
    await field("Currency").fill("eur");
    const before = requests.length;
    await button("Add product").click();
    await fieldError("price.currency").waitFor();
    expect(await fieldError("price.amount").textContent()).toBeTruthy();
    expect(await fieldError("sku").textContent()).toBeTruthy();
    expect(await field("Currency").getAttribute("aria-invalid")).toBe("true");
    expect(requests.slice(before).filter((request) => request.startsWith("POST"))).toEqual([]);
    await record("validation");

    productName = `Console mug ${uniqueName("n")}`;
    await field("SKU").fill(uniqueName("SKU"));
    await field("Name").fill(productName);
    await field("Price (cents)").fill("1200");
    await field("Currency").fill("EUR");
    await button("Add product").click();
    productId = await idInHash("products");
    expect(requests).toContain("POST /v1/products");
    await expect(page.getByTestId("product-name").textContent()).resolves.toBe(productName);
    // Read after the write with its consistency token: the read model reflects it.
    await expect(page.getByTestId("product").locator("[data-consistency]").getAttribute("data-consistency")).resolves.toBe("consistent");
  });

  it("renames (async), changes the price and restocks; the history timeline and as-of show the past", async () => {
    await field("New name").fill(`${productName} II`);
    await button("Rename").click();
    await page.getByTestId("product-name").getByText(`${productName} II`).waitFor();
    await field("New price (cents)").fill("2500");
    await button("Change price").click();
    await page.getByTestId("product-price").getByText("25.00 EUR").waitFor();
    await field("Quantity").fill("10");
    await button("Restock").click();
    await page.getByTestId("stock-on-hand").getByText("10", { exact: true }).waitFor();
    const timeline = page.getByRole("list", { name: "Product history" });
    await timeline.getByText("catalog.ProductPriceChanged.v1").waitFor();
    expect(await timeline.locator("li").count()).toBe(3);
    await record("product");
    // As of the first event: the name it was created with.
    await timeline.getByRole("button", { name: "Show as of this event" }).first().click();
    await page.getByTestId("product-name").getByText(productName, { exact: true }).waitFor();
    await page.getByText(/^As of .* \(from the event store\)$/).waitFor();
    await button("Now").click();
    await page.getByTestId("product-name").getByText(`${productName} II`).waitFor();
  });

  it("shows a rule only the server knows (minimum price above the maximum) beside its field", async () => {
    await go("products");
    await page.getByRole("table").waitFor();
    await field("Minimum price (cents)").fill("5000");
    await field("Maximum price (cents)").fill("100");
    await button("Search").click();
    await expect(fieldError("minPrice").textContent()).resolves.toBe("must not be greater than maxPrice");
    expect(requests.some((request) => request === "GET /v1/products")).toBe(true);
    await field("Minimum price (cents)").fill("");
    await field("Maximum price (cents)").fill("");
    await field("Search text").fill(productName);
    await button("Search").click();
    await page.getByRole("link", { name: `${productName} II` }).waitFor();
    await page
      .locator(".facets")
      .getByRole("button", { name: /^kitchen/ })
      .waitFor();
    await record("products");
  });

  it("registers a customer and changes the address; with the customer projector stopped the read is shown stale", async () => {
    await go("customers");
    await field("Name").fill("Ada Console");
    await field("Email").fill(`${uniqueName("ada")}@example.com`);
    await field("Street and number").fill("1 Main St");
    await field("Postal code").fill("10115");
    await field("City").fill("Berlin");
    await field("Country (ISO code, e.g. DE)").fill("de");
    await button("Register").click();
    await fieldError("address.country").waitFor();
    await field("Country (ISO code, e.g. DE)").fill("DE");
    await button("Register").click();
    customerId = await idInHash("customers");
    const card = page.getByTestId("customer");
    await card.getByText("1 Main St, 10115 Berlin, DE").waitFor();
    await expect(card.locator("[data-consistency]").getAttribute("data-consistency")).resolves.toBe("consistent");

    await customerProjector?.stop();
    customerProjector = undefined;
    await field("Street and number").fill("2 Side St");
    await field("Postal code").fill("20095");
    await field("City").fill("Hamburg");
    await field("Country (ISO code, e.g. DE)").fill("DE");
    await button("Change address").click();
    await page.getByText("Address changed.").waitFor();
    // The gateway waited its bounded time for the read model, then answered what it had.
    await card.locator('[data-consistency="stale"]').waitFor({ timeout: 15_000 });
    await expect(card.locator("[data-consistency]").textContent()).resolves.toMatch(/^Stale/);
    await card.getByText("1 Main St, 10115 Berlin, DE").waitFor();
    await record("customer-stale");

    customerProjector = await startCustomerProjector(platform.namespace);
    await waitFor("the customer read model caught up", async () => {
      await go("products");
      await go(`customers/${customerId}`);
      await card.locator("[data-consistency]").waitFor();
      return (await card.locator("[data-consistency]").getAttribute("data-consistency")) === "consistent" ? true : undefined;
    });
    await card.getByText("2 Side St, 20095 Hamburg, DE").waitFor();
  });

  /** Ordering learns products from the catalog's events: retried until its replica knows the product. */
  const placeOrder = async (flow: "Choreography (events, answers PENDING)" | "Orchestration (saga, answers CONFIRMED or REJECTED)") => {
    await go(`customers/${customerId}`);
    await field("Product id").fill(productId);
    await field("Quantity").fill("1");
    await page.getByLabel(flow).check();
    return waitFor("the order placed", async () => {
      await button("Place order").click();
      const placed = await page.waitForURL(/#\/orders\//, { timeout: 3_000 }).then(
        () => true,
        () => false,
      );
      return placed ? idInHash("orders") : undefined;
    });
  };

  it("places orders by choreography and by orchestration, shows the saga, and cancels one", async () => {
    const asyncOrder = await placeOrder("Choreography (events, answers PENDING)");
    await waitFor("the async order confirmed", async () => {
      await page.reload();
      await page.getByTestId("order-status").waitFor();
      return (await page.getByTestId("order-status").textContent()) === "CONFIRMED" ? true : undefined;
    });
    await page
      .getByTestId("order")
      .getByRole("link", { name: `${productName} II` })
      .waitFor();

    const syncOrder = await placeOrder("Orchestration (saga, answers CONFIRMED or REJECTED)");
    await page.getByTestId("order-status").getByText("CONFIRMED").waitFor();
    await record("order");
    await page.getByTestId("order").getByRole("link", { name: syncOrder }).click();
    await page.getByTestId("saga-status").getByText("COMPLETED").waitFor();
    expect(await page.getByRole("list", { name: "Saga steps" }).locator("li").count()).toBeGreaterThan(1);

    await go(`orders/${asyncOrder}`);
    await field("Reason").fill("changed my mind");
    await button("Cancel order").click();
    await page.getByTestId("order-status").getByText("CANCELLED").waitFor();
    // The customer's orders, with the product's current name.
    await go(`customers/${customerId}`);
    await page
      .getByRole("cell", { name: `1 × ${productName} II` })
      .first()
      .waitFor();
    await record("customer");
  });

  it("shows a sync rename with ordering stopped as COMPENSATED, the product keeping its name", async () => {
    await platform.stop("ordering");
    try {
      await go(`products/${productId}`);
      await page.getByTestId("product-name").getByText(`${productName} II`).waitFor();
      await field("New name").fill("Doomed name");
      await page.getByLabel("Sync saga (everywhere before answering)").check();
      await button("Rename").click();
      const alert = page.locator(".task").filter({ hasText: "New name" }).getByRole("alert");
      await alert.getByRole("link").click();
      await page.getByTestId("saga-status").getByText("COMPENSATED").waitFor();
      await page
        .getByRole("list", { name: "Saga steps" })
        .getByText(/^compensate /)
        .first()
        .waitFor();
      await record("saga-compensated");
    } finally {
      await platform.start("ordering");
    }
    await go(`products/${productId}`);
    await page.getByTestId("product-name").getByText(`${productName} II`).waitFor();
  });

  it("shows an order's details as degraded while the catalog is stopped", async () => {
    const orderId = await placeOrder("Orchestration (saga, answers CONFIRMED or REJECTED)");
    await platform.stop("catalog");
    try {
      await waitFor("the order shown degraded", async () => {
        await go("products");
        await go(`orders/${orderId}`);
        await page.getByTestId("order-status").waitFor();
        return (await page.getByTestId("degraded").count()) > 0 ? true : undefined;
      });
      await expect(page.getByTestId("degraded").textContent()).resolves.toMatch(/^Degraded: product details unavailable/);
      await record("order-degraded");
    } finally {
      await platform.start("catalog");
    }
  });

  it("discontinues the product, lists open sagas (none) and shows operations (downstream health, breakers, projections' and reactions' lag)", async () => {
    await go(`products/${productId}`);
    await waitFor("the catalog answering again", async () =>
      (await page.getByTestId("product-status").count()) > 0 ? true : (await page.reload(), undefined),
    );
    await button("Discontinue").click();
    await page.getByTestId("product-status").getByText("DISCONTINUED").waitFor();
    // Every saga so far has ended (completed or compensated): none is listed as open.
    await go("sagas");
    await page.getByTestId("no-open-sagas").waitFor();
    await page.getByTestId("no-failed-sagas").waitFor();
    await record("sagas");
    await go("operations");
    await page.getByTestId("readiness").waitFor();
    expect(await page.getByRole("cell", { name: "catalog-command" }).count()).toBe(1);
    expect(await page.getByTestId("breaker-state").count()).toBeGreaterThan(0);
    // Every projector and reaction of the platform, with its lag and dead letters.
    await page.getByTestId("pipeline-consumer").first().waitFor();
    expect(await page.getByTestId("pipeline-consumer").count()).toBeGreaterThanOrEqual(4);
    expect(await page.getByRole("cell", { name: /product-search/ }).count()).toBe(1);
    for (const lag of await page.getByTestId("consumer-lag").allTextContents()) expect(Number(lag)).toBeGreaterThanOrEqual(0);
    await record("operations");
  });

  it("has no serious accessibility violations on any page, and nothing was blocked by the CSP", () => {
    expect(seriousViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
