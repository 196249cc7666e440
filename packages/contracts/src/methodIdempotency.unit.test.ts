import { describe, expect, it } from "vitest";
import { methodIdempotency } from "./descriptors.js";

describe("methodIdempotency: what each method's proto declares", () => {
  it.each([
    ["/bazaar.catalog.v1.CatalogQueryService/GetProduct", "no-side-effects"],
    ["/bazaar.catalog.v1.CatalogHistoryService/GetProductAsOf", "no-side-effects"],
    ["/bazaar.ordering.v1.OrderingQueryService/ListCustomerOrders", "no-side-effects"],
    ["/bazaar.inventory.v1.InventoryCommandService/Reserve", "idempotent"],
    ["/bazaar.ordering.v1.OrderingCommandService/ApplyProductRename", "idempotent"],
    ["/bazaar.inventory.v1.InventoryCommandService/Restock", "unknown"],
    ["/bazaar.ordering.v1.OrderingCommandService/PlaceOrder", "unknown"],
    ["/bazaar.catalog.v1.CatalogCommandService/RenameProduct", "unknown"],
  ])("%s is %s", (path, level) => {
    expect(methodIdempotency(path)).toBe(level);
  });

  it("a method or service the contracts do not have is unknown (never retried)", () => {
    expect(methodIdempotency("/bazaar.catalog.v1.CatalogQueryService/DropEverything")).toBe("unknown");
    expect(methodIdempotency("/grpc.health.v1.Health/Check")).toBe("unknown");
    expect(methodIdempotency("not a path")).toBe("unknown");
  });
});
