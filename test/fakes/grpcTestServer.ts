import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from "@grpc/grpc-js";

/** A real in-process gRPC server on a free loopback port, serving `services`: for a test file's clients. */
export const startGrpcTestServer = async (
  services: readonly (readonly [ServiceDefinition, UntypedServiceImplementation])[],
): Promise<{ address: string; close(): void }> => {
  const server = new Server();
  for (const [definition, implementation] of services) server.addService(definition, implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { address: `127.0.0.1:${port}`, close: () => server.forceShutdown() };
};
