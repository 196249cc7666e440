import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import express, { type RequestHandler, type Router } from "express";
import { mintToken, SCOPES } from "../edge/tokens.js";
import { sendProblem } from "./problem.js";

/** Where `npm run build` (console/, Vite) writes the web console, seen from gateway/dist/http. */
export const CONSOLE_ASSETS = fileURLToPath(new URL("../../../console/dist/", import.meta.url));

const DEV_TOKEN_TTL_SECONDS = 3600;

export interface ConsoleOptions {
  /** The built assets (index.html and assets/); default CONSOLE_ASSETS. */
  assetsDir?: string;
  /**
   * Development mode with HS256 tokens only: what signs a staff token for the console's "use the
   * development token" button. Absent anywhere else, so the button and its endpoint do not exist.
   */
  devToken?: { hs256Secret: string; issuer?: string | undefined; audience?: string | undefined };
}

/**
 * The console runs its own bundled scripts and styles only: no inline code, no other origin.
 * Set here because the API's policy (default-src 'none') would block the page.
 */
const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Every scope the API knows, as `bazaar token mint --staff` grants them. */
const mintStaffToken = (devToken: NonNullable<ConsoleOptions["devToken"]>) =>
  mintToken({
    secret: devToken.hs256Secret,
    subject: "console-dev",
    scopes: SCOPES,
    ttlSeconds: DEV_TOKEN_TTL_SECONDS,
    issuer: devToken.issuer,
    audience: devToken.audience,
  });

/**
 * `/console`: the web console's static assets under their own CSP, `session.json` (what the page
 * may offer: the development token or not), `dev-token` in development mode only, and index.html
 * for every other page path (the console routes in the browser).
 */
export const consoleRoutes = (options: ConsoleOptions = {}): Router => {
  const assets = options.assetsDir ?? CONSOLE_ASSETS;
  const router = express.Router();
  const policy: RequestHandler = (_req, res, next) => {
    res.setHeader("Content-Security-Policy", CONSOLE_CSP);
    next();
  };
  router.use(policy);
  router.get("/session.json", (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.json({ devToken: options.devToken !== undefined });
  });
  const devToken = options.devToken;
  if (devToken) {
    router.post("/dev-token", (_req, res, next) => {
      res.setHeader("Cache-Control", "no-store");
      mintStaffToken(devToken).then((token) => res.json({ token, expiresInSeconds: DEV_TOKEN_TTL_SECONDS }), next);
    });
  }
  // Hashed file names: cached for good; index.html is re-read every time.
  router.use("/assets", express.static(`${assets}/assets`, { immutable: true, maxAge: "365d" }), (req, res) => {
    sendProblem(res, { type: "/problems/not-found", title: "Not found", status: 404, detail: "no such console asset", instance: req.originalUrl });
  });
  router.get(/.*/, (req, res) => {
    if (!existsSync(`${assets}/index.html`)) {
      sendProblem(res, {
        type: "/problems/not-found",
        title: "Not found",
        status: 404,
        detail: "the console is not built (npm run build)",
        instance: req.originalUrl,
      });
      return;
    }
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile("index.html", { root: assets });
  });
  return router;
};
