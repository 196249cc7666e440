/** What a local bearer token is made of, for `bazaar token mint`: the gateway's own minting, scopes and development secret. */
export { mintToken, SCOPES } from "./edge/tokens.js";
export { DEV_HS256_SECRET } from "./edge/devSecret.js";
