import type { Express, RequestHandler } from "express";

/**
 * Keeps the app's ETag to the answers that can use one. Express computes the ETag of every response
 * body (`app.set("etag", …)`: a SHA-1 per response), but only a GET or HEAD is ever fresh
 * (`If-None-Match` → 304); an answer to a command or any other method never is, so its hash is
 * waste. The etag function is not told the request; this middleware is. `res.send` reads the
 * setting through `res.app`: for every method but GET and HEAD, `res.app` becomes a view of the app
 * whose settings inherit all of the app's and turn the ETag off — no ETag header, no hash.
 * Mount it before anything that answers.
 */
export const etagOnReadsOnly = (app: Express): RequestHandler => {
  const withoutETag = Object.create(app) as Express;
  withoutETag.settings = Object.create(app.settings as object) as Record<string, unknown>;
  withoutETag.set("etag", false);
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") res.app = withoutETag;
    next();
  };
};
