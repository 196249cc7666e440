/**
 * The HS256 secret the gateway verifies tokens with when `AUTH_HS256_SECRET` is unset: local
 * development only. The CLI (`bazaar token mint`) carries the same value (it cannot import the
 * gateway); `auth.unit.test.ts` proves the two still agree.
 */
export const DEV_HS256_SECRET = "bazaar-local-development-secret-do-not-use-in-production";
