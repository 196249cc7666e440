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

/**
 * Connects and keeps reconnecting forever: a NATS restart must not end a service.
 *
 * `noAsyncTraces`: by default the client builds a `RequestError` and a `TimeoutError`, each with a
 * stack trace, for every request (a JetStream publish is one: it awaits the stream's ack) in case it
 * fails; that was 3.4 % of the catalog's CPU (docs/benchmarks.md §5a, §5i). Without them a
 * failure still rejects with the same error classes and message, its stack starting in the
 * client instead of at our call.
 */
export const connectNats = (settings: NatsSettings): Promise<NatsConnection> =>
  connect({
    servers: settings.servers,
    name: settings.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    noAsyncTraces: true,
    ...(settings.user ? { user: settings.user, pass: settings.pass ?? "" } : {}),
    ...(settings.token ? { token: settings.token } : {}),
    ...(settings.credsFile ? { authenticator: credsAuthenticator(readFileSync(settings.credsFile)) } : {}),
    ...(settings.tls ? { tls: { ca: settings.tls.ca } } : {}),
  });
