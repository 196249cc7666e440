import { readFileSync } from "node:fs";
import { connect, credsAuthenticator, type NatsConnection } from "@nats-io/transport-node";

export interface NatsSettings {
  servers: string[];
  /** Shown in the server's connection list (`/connz`): which process this is. */
  name: string;
  /** One way to authenticate, as the server is configured: user and password, a token, or a `.creds` file. */
  user?: string | undefined;
  pass?: string | undefined;
  token?: string | undefined;
  credsFile?: string | undefined;
  /** Connect over TLS, trusting this CA (PEM). */
  tls?: { ca: string } | undefined;
}

/** Connects and keeps reconnecting forever: a NATS restart must not end a service. */
export const connectNats = (settings: NatsSettings): Promise<NatsConnection> =>
  connect({
    servers: settings.servers,
    name: settings.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    ...(settings.user ? { user: settings.user, pass: settings.pass ?? "" } : {}),
    ...(settings.token ? { token: settings.token } : {}),
    ...(settings.credsFile ? { authenticator: credsAuthenticator(readFileSync(settings.credsFile)) } : {}),
    ...(settings.tls ? { tls: { ca: settings.tls.ca } } : {}),
  });
