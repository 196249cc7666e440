export { actsFor, actsForEveryone, ForbiddenError, requireActsFor, requireOwnerFound, STAFF_SCOPE } from "./ownership.js";
export {
  createAuthenticator,
  CUSTOMER_CLAIM,
  mintToken,
  principalOf,
  SCOPES,
  type AuthConfig,
  type Authenticator,
  type Principal,
  type Scope,
} from "./auth.js";
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
