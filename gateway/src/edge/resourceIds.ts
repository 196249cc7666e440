import { createHash, randomUUID } from "node:crypto";
import type { Request, Response } from "express";
import { principalOf } from "./auth.js";

/** RFC 9562 name-based (v5) UUIDs need a namespace: this one is Bazaar's own, fixed forever. */
const NAMESPACE = Buffer.from("6f1c2a1e9d5b4c7e8a3f0b2d4e6a8c10", "hex");

/** A version-5 UUID for `name` in Bazaar's namespace. */
export const nameBasedUuid = (name: string): string => {
  const bytes = createHash("sha1").update(NAMESPACE).update(name, "utf8").digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/**
 * The id a create gives its new resource. With an `Idempotency-Key`, it is derived from the
 * principal, the route and the key: a client that retries after a timeout, a 5xx or a dropped
 * connection (the first outcome unknown, the key freed) addresses the same resource, and the
 * context recognises the repeat — never a second product or order, never a false "SKU / email
 * already taken". Without a key, a fresh random id.
 */
export const resourceIdFor = (req: Request, res: Response): string => {
  const key = req.get("idempotency-key");
  if (key === undefined) return randomUUID();
  return nameBasedUuid(`${principalOf(res)?.subject ?? "anonymous"}\n${req.method} ${req.baseUrl}${req.path}\n${key}`);
};
