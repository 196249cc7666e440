import { DEV_HS256_SECRET, mintToken, SCOPES } from "../../gateway/src/edge/index.js";

/** A bearer token with every scope, signed with the development secret the test gateways use (BAZAAR_MODE=development). */
export const bearer = `Bearer ${await mintToken({ secret: DEV_HS256_SECRET, subject: "e2e", scopes: [...SCOPES], ttlSeconds: 3_600 })}`;

/** fetch with the test principal's token. */
export const api = (url: string, init: RequestInit = {}) =>
  fetch(url, { ...init, headers: { authorization: bearer, ...(init.headers as Record<string, string> | undefined) } });
