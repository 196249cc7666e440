export { actsFor, actsForEveryone, ForbiddenError, requireActsFor, requireOwnerFound, STAFF_SCOPE } from "./ownership.js";
export { createAuthenticator, principalOf, type AuthConfig, type Authenticator, type Principal } from "./auth.js";
export { CUSTOMER_CLAIM, mintToken, SCOPES, type Scope } from "./tokens.js";
export { DEV_HS256_SECRET } from "./devSecret.js";
export { cassandraIdempotency, idempotency, requestFingerprint, type IdempotencyOptions } from "./idempotency.js";
export {
  createCassandraIdempotencyStore,
  ensureIdempotencySchema,
  type IdempotencyRecord,
  type IdempotencyStore,
  type StoredResponse,
} from "./idempotencyStore.js";
export { protection, type Protection, type ProtectionConfig } from "./protection.js";
export { nameBasedUuid, resourceIdFor } from "./resourceIds.js";
