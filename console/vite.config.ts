import { defineConfig } from "vite";

/**
 * Static assets for the gateway's /console: relative to that base, no inline script (the page
 * runs under a CSP without 'unsafe-inline'), JSX compiled for Preact.
 */
export default defineConfig({
  base: "/console/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The polyfill would be an inline script; every browser the console targets has modulepreload.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
});
