/**
 * The server for `bench grpc-client`, in a process of its own so its CPU is not the client's: a
 * catalog query role answering every GetProduct at once with the same product. Prints its port.
 */
import { CatalogQueryServiceService, Product, ProductStatus, type GetProductResponse } from "@bazaar/contracts/catalog/v1";
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from "@grpc/grpc-js";

const product = Product.fromPartial({
  productId: "0b6f2a9e-8c1d-4e43-9a57-2f3c6d1e8b70",
  sku: "MUG-BLUE-350",
  name: "Blue mug",
  description: "A blue mug of 350 ml",
  category: "kitchen",
  price: { amount: 1299, currency: "EUR" },
  attributes: { colour: "blue", volume: "350 ml" },
  status: ProductStatus.PRODUCT_STATUS_ACTIVE,
  version: 3,
});

const server = new Server();
server.addService(CatalogQueryServiceService, {
  getProduct: (_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<GetProductResponse>) => callback(null, { product, stale: false }),
});
server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  console.log(port);
});
process.on("disconnect", () => server.forceShutdown());
