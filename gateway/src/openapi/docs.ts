import express, { Router } from "express";
import { getAbsoluteFSPath } from "swagger-ui-dist";

const INDEX = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Bazaar API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

// A separate script rather than an inline one, so a strict Content-Security-Policy still allows it.
const INIT = `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });\n`;

/** `GET /openapi.json` and interactive docs at `GET /docs` (swagger-ui-dist's static assets). */
export const docsRoutes = (document: unknown): Router => {
  const router = Router();
  router.get("/openapi.json", (_req, res) => {
    res.json(document);
  });
  router.get(["/docs", "/docs/", "/docs/index.html"], (_req, res) => {
    res.type("html").send(INDEX);
  });
  router.get("/docs/init.js", (_req, res) => {
    res.type("application/javascript").send(INIT);
  });
  router.use("/docs", express.static(getAbsoluteFSPath(), { index: false }));
  return router;
};
