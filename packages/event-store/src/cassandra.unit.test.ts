import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import cassandra from "cassandra-driver";
import { describe, expect, it } from "vitest";
import { cassandraClientOptions } from "./cassandra.js";

const { consistencies } = cassandra.types;
const root = fileURLToPath(new URL("../../../", import.meta.url));

/** The production sources that talk to Cassandra (no tests, no test helpers). */
const sources = [
  "packages/event-store/src",
  "packages/service-kit/src",
  "packages/projections/src",
  "gateway/src",
  "cli/src",
  ...["catalog", "customer", "inventory", "ordering"].map((s) => `services/${s}/src`),
].flatMap((dir) =>
  readdirSync(`${root}${dir}`, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts"))
    .map((entry) => `${entry.parentPath}/${entry.name}`),
);

describe("Cassandra consistency (cluster mode: replication factor 3)", () => {
  it("runs every statement at LOCAL_QUORUM and every lightweight transaction at LOCAL_SERIAL by default", () => {
    const options = cassandraClientOptions({ contactPoints: ["127.0.1.1:9042", "127.0.1.2:9042"], localDataCenter: "datacenter1", replicationFactor: 3 });
    expect(options.queryOptions?.consistency).toBe(consistencies.localQuorum);
    expect(options.queryOptions?.serialConsistency).toBe(consistencies.localSerial);
    expect(options.contactPoints).toEqual(["127.0.1.1:9042", "127.0.1.2:9042"]);
  });

  it("runs at the levels a deployment asks for, which can only be stronger", () => {
    const options = cassandraClientOptions({
      contactPoints: ["127.0.1.1:9042"],
      localDataCenter: "dc1",
      replicationFactor: 3,
      consistency: "EACH_QUORUM",
      serialConsistency: "SERIAL",
    });
    expect(options.queryOptions?.consistency).toBe(consistencies.eachQuorum);
    expect(options.queryOptions?.serialConsistency).toBe(consistencies.serial);
  });

  it("never sets a level in the sources but through the client's options (so configuring them reaches every statement)", () => {
    expect(sources.length).toBeGreaterThan(20);
    const levels = sources
      .filter((file) => !file.endsWith("/event-store/src/cassandra.ts"))
      .flatMap((file) =>
        [...readFileSync(file, "utf8").matchAll(/consistencies\.(\w+)|serialConsistency:/g)].map((m) => `${file.slice(root.length)}: ${m[0]}`),
      );
    expect(levels).toEqual([]);
  });

  it("opens no Cassandra session but through connectCassandra, whose options these are", () => {
    const others = sources.filter((file) => !file.endsWith("/event-store/src/cassandra.ts") && /new cassandra\.Client\(/.test(readFileSync(file, "utf8")));
    expect(others.map((file) => file.slice(root.length))).toEqual([]);
  });
});
