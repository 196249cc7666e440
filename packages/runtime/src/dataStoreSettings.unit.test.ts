import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { cassandraEnv, elasticsearchEnv, natsEnv, provisioningEnv } from "./dataStoreSettings.js";

const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const caFile = () => {
  const path = join(mkdtempSync(join(tmpdir(), "bazaar-ca-")), "ca.pem");
  writeFileSync(path, pem);
  return path;
};

describe("data store settings", () => {
  it("default to the local stack: no credentials, no TLS, LOCAL_QUORUM / LOCAL_SERIAL, no index replicas", () => {
    expect(loadConfig(cassandraEnv, {})).toEqual({
      contactPoints: ["127.0.0.1:9042"],
      localDataCenter: "datacenter1",
      replicationFactor: 1,
      consistency: "LOCAL_QUORUM",
      serialConsistency: "LOCAL_SERIAL",
    });
    expect(loadConfig(natsEnv, {})).toEqual({ servers: ["nats://127.0.0.1:4222"] });
    expect(loadConfig(elasticsearchEnv, {})).toEqual({ node: "http://127.0.0.1:9200", replicas: 0 });
  });

  it("carry what a real cluster needs: credentials, a CA read from its file, stronger consistency, replicas", () => {
    const ca = caFile();
    expect(
      loadConfig(cassandraEnv, {
        CASSANDRA_USERNAME: "catalog",
        CASSANDRA_PASSWORD: "p",
        CASSANDRA_TLS_CA: ca,
        CASSANDRA_CONSISTENCY: "EACH_QUORUM",
        CASSANDRA_SERIAL_CONSISTENCY: "SERIAL",
      }),
    ).toMatchObject({ username: "catalog", password: "p", tls: { ca: pem }, consistency: "EACH_QUORUM", serialConsistency: "SERIAL" });
    expect(loadConfig(natsEnv, { NATS_USER: "catalog", NATS_PASSWORD: "p", NATS_TLS_CA: ca })).toMatchObject({ user: "catalog", pass: "p", tls: { ca: pem } });
    expect(loadConfig(natsEnv, { NATS_CREDS: "/etc/nats/catalog.creds" })).toMatchObject({ credsFile: "/etc/nats/catalog.creds" });
    expect(loadConfig(elasticsearchEnv, { ELASTICSEARCH_API_KEY: "k", ELASTICSEARCH_REPLICAS: "1" })).toMatchObject({ apiKey: "k", replicas: 1 });
  });

  it("refuse what would weaken or half-configure them, naming the variable", () => {
    expect(() => loadConfig(cassandraEnv, { CASSANDRA_CONSISTENCY: "ONE" })).toThrow(/CASSANDRA_CONSISTENCY/);
    expect(() => loadConfig(cassandraEnv, { CASSANDRA_SERIAL_CONSISTENCY: "LOCAL_ONE" })).toThrow(/CASSANDRA_SERIAL_CONSISTENCY/);
    expect(() => loadConfig(cassandraEnv, { CASSANDRA_USERNAME: "catalog" })).toThrow(
      /CASSANDRA_PASSWORD: CASSANDRA_USERNAME and CASSANDRA_PASSWORD go together/,
    );
    expect(() => loadConfig(cassandraEnv, { CASSANDRA_TLS_CA: "/nonexistent/ca.pem" })).toThrow(/CASSANDRA_TLS_CA: cannot read \/nonexistent\/ca.pem/);
    expect(() => loadConfig(natsEnv, { NATS_TOKEN: "t", NATS_CREDS: "/x.creds" })).toThrow(/NATS_CREDS: set one of/);
    expect(() => loadConfig(elasticsearchEnv, { ELASTICSEARCH_PASSWORD: "p" })).toThrow(/ELASTICSEARCH_PASSWORD/);
  });

  it("a process creates its schema in development and only checks it otherwise, unless BAZAAR_PROVISIONING says", () => {
    expect(loadConfig(provisioningEnv, {})).toEqual({ create: false });
    expect(loadConfig(provisioningEnv, { BAZAAR_MODE: "development" })).toEqual({ create: true });
    expect(loadConfig(provisioningEnv, { BAZAAR_MODE: "development", BAZAAR_PROVISIONING: "check" })).toEqual({ create: false });
    expect(loadConfig(provisioningEnv, { BAZAAR_PROVISIONING: "create" })).toEqual({ create: true });
    expect(() => loadConfig(provisioningEnv, { BAZAAR_PROVISIONING: "maybe" })).toThrow(/BAZAAR_PROVISIONING/);
  });
});
