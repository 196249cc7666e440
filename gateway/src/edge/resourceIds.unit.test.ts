import { describe, expect, it } from "vitest";
import { nameBasedUuid } from "./resourceIds.js";

describe("nameBasedUuid", () => {
  it("is a version-5 RFC 9562 UUID, the same for the same name and another for any other", () => {
    const id = nameBasedUuid("alice\nPOST /v1/products\nkey-1");
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(nameBasedUuid("alice\nPOST /v1/products\nkey-1")).toBe(id);
    const others = ["bob\nPOST /v1/products\nkey-1", "alice\nPOST /v1/customers\nkey-1", "alice\nPOST /v1/products\nkey-2"].map(nameBasedUuid);
    expect(new Set([id, ...others]).size).toBe(4);
  });
});
