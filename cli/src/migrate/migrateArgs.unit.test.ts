import { describe, expect, it } from "vitest";
import { MigrateUsageError, parseMigrateArgs } from "./migrateArgs.js";

describe("bazaar migrate arguments", () => {
  it("provisions every context and the gateway when none is named", () => {
    expect(parseMigrateArgs([])).toEqual({ targets: ["catalog", "inventory", "ordering", "customer", "gateway"], dryRun: false });
  });

  it("takes --context more than once, in either spelling, and --dry-run", () => {
    expect(parseMigrateArgs(["--context", "gateway", "--dry-run", "--context=catalog", "--context", "catalog"])).toEqual({
      targets: ["catalog", "gateway"],
      dryRun: true,
    });
  });

  it("refuses an unknown context, a missing name and an unknown flag", () => {
    expect(() => parseMigrateArgs(["--context", "billing"])).toThrow(/unknown context billing; known: catalog, inventory, ordering, customer, gateway/);
    expect(() => parseMigrateArgs(["--context"])).toThrow(MigrateUsageError);
    expect(() => parseMigrateArgs(["--force"])).toThrow(/Unknown option .--force./);
  });
});
