import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { status as grpcStatus } from "@grpc/grpc-js";
import cassandra from "cassandra-driver";
import { loadServiceConfig } from "@bazaar/service-kit";
import { describe, expect, it } from "vitest";
import { loadCliConfig } from "../../cli/src/config.js";
import { loadGatewayConfig } from "../../gateway/src/config.js";
import { loadOrderingConfig } from "../../services/ordering/src/orderingConfig.js";

/**
 * The README's words about configuration against the code. The rule:
 * - every variable the README names (a backticked `UPPER_CASE` word; `<CONTEXT>_X` stands for the
 *   four contexts, `X_*` for a prefix) is read by a config schema, by a `process.env` read in the
 *   sources, or by the stack and npm scripts (`${X:-…}`);
 * - every variable a config schema reads — what a user sets to run the platform differently — is
 *   in the README. Variables read outside the schemas (fault injection such as BAZAAR_CRASH_AT,
 *   the stack's many knobs) need not be: the README names the ones that matter.
 * Not variables: gRPC status names and Cassandra consistency levels, which the README also writes
 * in upper case (taken from the libraries, not listed by hand).
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const readme = readFileSync(`${root}README.md`, "utf8");
const CONTEXTS = ["CATALOG", "INVENTORY", "ORDERING", "CUSTOMER"];

/** The variables a loader reads: it is given an environment that records every name asked for. */
const readBy = (load: (source: Record<string, string | undefined>) => unknown): string[] => {
  const names = new Set<string>();
  const source = new Proxy({} as Record<string, string | undefined>, {
    get: (_, name) => {
      if (typeof name === "string" && /^[A-Z][A-Z0-9_]*$/.test(name)) names.add(name);
      return undefined;
    },
  });
  // A loader refuses an empty environment where a variable is required (the gateway's secrets):
  // it has read every name by then.
  try {
    load(source);
  } catch {
    /* the names asked for are recorded */
  }
  return [...names];
};

const withProcessEnv = <T>(env: Record<string, string | undefined>, fn: () => T): T => {
  const saved = process.env;
  process.env = env as NodeJS.ProcessEnv;
  try {
    return fn();
  } finally {
    process.env = saved;
  }
};

const schemaVariables = new Set([
  ...readBy((source) => loadGatewayConfig(source)),
  ...CONTEXTS.flatMap((context) => readBy((source) => loadServiceConfig(context.toLowerCase(), { grpcPort: 50051, metricsPort: 9464 }, source))),
  ...readBy((source) => loadOrderingConfig(source)),
  // The CLI reads process.env itself.
  ...readBy((source) => withProcessEnv(source, () => loadCliConfig())),
]);

const filesUnder = (dir: string, pattern: RegExp): string[] =>
  readdirSync(`${root}${dir}`, { recursive: true, withFileTypes: true })
    .filter(
      (entry) => entry.isFile() && pattern.test(entry.name) && !`${entry.parentPath}/`.includes("/node_modules/") && !`${entry.parentPath}/`.includes("/dist/"),
    )
    .map((entry) => `${entry.parentPath}/${entry.name}`);

const matches = (files: string[], pattern: RegExp) => files.flatMap((file) => [...readFileSync(file, "utf8").matchAll(pattern)].map((m) => m[1]!));

/** `process.env.X` in the sources that are no tests. */
const processEnvVariables = new Set(
  matches(
    ["packages", "services", "gateway", "cli"]
      .flatMap((dir) => filesUnder(dir, /\.ts$/))
      .filter((file) => file.includes("/src/") && !file.endsWith(".test.ts")),
    /process\.env\.([A-Z][A-Z0-9_]*)/g,
  ),
);

/** `${X:-default}`, `${X-default}` (an empty X kept) and `${X:?…}` in the stack, the Kubernetes validation scripts, the image scripts and the npm scripts; the Dockerfile's build arguments. */
const scriptVariables = new Set([
  ...matches(
    [
      `${root}deploy/local/stack`,
      ...filesUnder("deploy/local/lib", /\.sh$/),
      ...filesUnder("deploy/k8s", /^(lib\.sh|tools|apiserver)$/),
      ...filesUnder("deploy/image", /\.sh$/),
      ...filesUnder("scripts", /\.sh$/),
    ],
    /\$\{([A-Z][A-Z0-9_]*)(?::[-?]|-)/g,
  ),
  ...matches([`${root}Dockerfile`], /^ARG ([A-Z][A-Z0-9_]*)/gm),
]);

/** Read by the NATS server from its environment: the `$X` password references of the users `bazaar nats-auth` writes. */
const natsServerVariables = new Set(matches([`${root}deploy/local/nats-auth.conf`], /password: \$([A-Z][A-Z0-9_]*)/g));

/** Read by Node itself (the Helm chart sets it when the data stores' CA is given). */
const runtimeVariables = new Set(["NODE_EXTRA_CA_CERTS"]);

/** What the k6 scenarios read from their environment (`__ENV.X`, `envNumber("X", …)` and kin). */
const scenarioVariables = new Set(
  filesUnder("loadtests/scenarios", /\.js$/).flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/__ENV\.([A-Z][A-Z0-9_]*)|env(?:Number|Numbers|Seconds)\("([A-Z][A-Z0-9_]*)"/g)].map((m) => (m[1] ?? m[2])!),
  ),
);

const notVariables = new Set([
  ...Object.keys(grpcStatus).filter((name) => Number.isNaN(Number(name))),
  ...Object.keys(cassandra.types.consistencies).map((name) => name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()),
]);

const backticked = [...readme.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
const readmeNames = new Set(
  backticked.flatMap((code) =>
    [...code.matchAll(/(?<![\w$])(<CONTEXT>_[A-Z][A-Z0-9_]*|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?:_\*)?|[A-Z]+_\*)(?![\w])/g)].map((m) => m[1]!),
  ),
);
const readmeVariables = [...readmeNames].filter((name) => !notVariables.has(name));

/** What a README name stands for: itself, one per context, or a prefix. */
const expand = (name: string): string[] => (name.startsWith("<CONTEXT>_") ? CONTEXTS.map((c) => name.replace("<CONTEXT>", c)) : [name]);
const known = (name: string) =>
  schemaVariables.has(name) ||
  processEnvVariables.has(name) ||
  scriptVariables.has(name) ||
  scenarioVariables.has(name) ||
  natsServerVariables.has(name) ||
  runtimeVariables.has(name);
const documented = (variable: string) =>
  readmeVariables.some((name) => (name.endsWith("_*") ? variable.startsWith(name.slice(0, -1)) : expand(name).includes(variable)));

describe("README configuration", () => {
  it("finds the variables it compares (the loaders were really read)", () => {
    expect(schemaVariables).toContain("GATEWAY_PORT");
    expect(schemaVariables).toContain("CUSTOMER_GRPC_PORT");
    expect(schemaVariables).toContain("PRODUCT_DETAILS_TIMEOUT_MS");
    expect(scriptVariables).toContain("ES_HEAP");
    expect(scenarioVariables).toContain("FAULT_AT");
    expect(natsServerVariables).toContain("CUSTOMER_NATS_PASSWORD");
    expect(readmeVariables.length).toBeGreaterThan(40);
  });

  it("names only variables the code reads", () => {
    const unknown = readmeVariables.filter((name) =>
      name.endsWith("_*") ? ![...schemaVariables, ...scriptVariables].some((v) => v.startsWith(name.slice(0, -1))) : !expand(name).every(known),
    );
    expect(unknown).toEqual([]);
  });

  it("documents every variable of the config schemas", () => {
    expect([...schemaVariables].filter((variable) => !documented(variable)).sort()).toEqual([]);
  });
});

describe("README paths", () => {
  const repoPaths = backticked
    .map((code) => code.trim())
    .filter((code) => /^(packages|services|gateway|cli|test|deploy|scripts|docs|proto|benchmarks|loadtests|\.ci)\/[\w./-]*$/.test(code));

  it("names files and folders that exist", () => {
    expect(repoPaths.length).toBeGreaterThan(10);
    expect(repoPaths.filter((path) => !existsSync(`${root}${path}`))).toEqual([]);
  });

  it("names only the folders the stack keeps under .local (downloads are not there)", () => {
    // The stack's state layout: DATA_DIR, LOG_DIR, RUN_DIR = "$STATE_DIR/<name>" in common.sh.
    const layout = new Set(matches([`${root}deploy/local/lib/common.sh`], /="\$STATE_DIR\/(\w+)"/g));
    expect(layout.size).toBeGreaterThanOrEqual(3);
    const local = [...readme.matchAll(/`\.local\/([\w-]+)/g)].map((m) => m[1]!);
    expect(local.filter((name) => !layout.has(name))).toEqual([]);
  });
});
