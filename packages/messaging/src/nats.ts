import { connect, type NatsConnection } from "@nats-io/transport-node";

export interface NatsSettings {
  servers: string[];
  /** Shown in the server's connection list (`/connz`): which process this is. */
  name: string;
}

/** Connects and keeps reconnecting forever: a NATS restart must not end a service. */
export const connectNats = (settings: NatsSettings): Promise<NatsConnection> =>
  connect({
    servers: settings.servers,
    name: settings.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
  });
