/**
 * The secrets the gateway uses when `BAZAAR_MODE=development` and none is configured (never
 * otherwise: outside development mode a missing secret stops the gateway at start). The CLI
 * (`bazaar token mint`) mints with the same value, imported from `@bazaar/gateway/tokens`.
 */
export const DEV_HS256_SECRET = "bazaar-local-development-secret-do-not-use-in-production";

/** Signs consistency tokens in development mode when `CONSISTENCY_TOKEN_SECRET` is unset. */
export const DEV_CONSISTENCY_TOKEN_SECRET = "bazaar-development-consistency-token-secret";
