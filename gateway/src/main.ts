import { createLogger, onShutdown } from "@bazaar/runtime";
import { createApp } from "./app.js";
import { createCatalogClient } from "./clients/catalogClient.js";
import { loadGatewayConfig } from "./config.js";

/** Composition root of the gateway. */
const main = async () => {
  const config = loadGatewayConfig();
  const logger = createLogger("gateway");
  const catalog = createCatalogClient({ ...config.catalog, timeoutMs: config.timeoutMs });
  const app = createApp({ catalog, logger, bodyLimit: config.http.bodyLimit });
  const server = app.listen(config.http.port, config.http.host);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  logger.info({ url: `http://${config.http.host}:${config.http.port}` }, "gateway listening");
  onShutdown(logger, [
    { name: "http", run: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))) },
    { name: "grpc-clients", run: () => Promise.resolve(catalog.close()) },
  ]);
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
