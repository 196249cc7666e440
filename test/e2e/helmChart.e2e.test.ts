import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chart, countByKind, EXPECTED_KINDS, helmWith, loadTools, parseYamlWith, podOf, RELEASE, NAMESPACE, run, VALUE_SETS, type Tools } from "./helmChart.js";
import { loadConfig, tracingEnv } from "@bazaar/runtime";
import { loadServiceConfig } from "@bazaar/service-kit";
import { loadGatewayConfig } from "../../gateway/src/config.js";
import { loadOrderingConfig } from "../../services/ordering/src/orderingConfig.js";
import { startContexts } from "./contexts.js";
import { root } from "./platform.js";

/**
 * The Helm chart, rendered (issue 9 §1, §3): `helm lint --strict` and `helm template` with the
 * default, production and dev values, every object valid against the Kubernetes OpenAPI schemas
 * of 1.33 and the newest kubernetes-validate ships; the hardening, probes and env every process
 * gets, accepted by each process's own config loader; an install refused without a secret, with a
 * short one, or with a bad value; `helm test`'s script run against a running platform.
 * helmApiserver.e2e.test.ts installs it on a real kube-apiserver.
 */
let tools: Tools;
let helm: ReturnType<typeof helmWith>;
let parseYaml: ReturnType<typeof parseYamlWith>;
let scratch: string;
/** helm's stderr when it fails as expected; a helm that succeeds fails the test. */
const helmFailure = async (...args: string[]) => {
  try {
    await helm(...args);
  } catch (error) {
    return String((error as { stderr?: string }).stderr);
  }
  throw new Error(`helm ${args.join(" ")} succeeded; a failure was expected`);
};

beforeAll(async () => {
  tools = await loadTools("static");
  helm = helmWith(tools);
  parseYaml = parseYamlWith(tools);
  scratch = mkdtempSync(join(tmpdir(), "bazaar-helm-"));
}, 3_600_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the chart, rendered", () => {
  for (const [name, values] of Object.entries(VALUE_SETS)) {
    it(`${name} values: helm lint --strict passes`, async () => {
      expect(await helm("lint", "--strict", chart, ...values)).toContain("1 chart(s) linted, 0 chart(s) failed");
    });

    it(`${name} values: every object is valid against the Kubernetes 1.33 and newest OpenAPI schemas`, async () => {
      const rendered = await helm("template", RELEASE, chart, "--namespace", NAMESPACE, ...values);
      const objects = await parseYaml(rendered);
      console.log(`helm template (${name} values): ${objects.length} objects`, countByKind(objects));
      expect(countByKind(objects)).toEqual(EXPECTED_KINDS[name as keyof typeof VALUE_SETS]);
      const file = join(scratch, `${name}.yaml`);
      writeFileSync(file, rendered);
      for (const version of tools.K8S_SCHEMA_VERSIONS.split(" ")) {
        const { stdout } = await run(tools.KUBERNETES_VALIDATE, ["--strict", "-k", version, file], { maxBuffer: 1 << 24 });
        const passed = stdout.split("\n").filter((line) => line.startsWith("INFO") && line.includes("passed"));
        expect(stdout.split("\n").filter((line) => /^(ERROR|WARN)/.test(line))).toEqual([]);
        expect(passed).toHaveLength(objects.length);
      }
    });
  }

  it("every Bazaar container is hardened, probed natively and configured only with documented variables", async () => {
    const objects = await parseYaml(await helm("template", RELEASE, chart, ...VALUE_SETS.default));
    const readme = readFileSync(`${root}README.md`, "utf8");
    const deployments = objects.filter((o) => o.kind === "Deployment");
    for (const deployment of deployments) {
      const pod = podOf(deployment);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.volumes).toContainEqual({ name: "tmp", emptyDir: { sizeLimit: "64Mi" } });
      expect(pod.containers).toHaveLength(1);
      const container = pod.containers[0]!;
      expect(container.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      });
      expect(container.volumeMounts).toContainEqual({ name: "tmp", mountPath: "/tmp" });
      expect(container.resources.requests).toHaveProperty("memory");
      const role = deployment.metadata.labels?.["bazaar.io/role"];
      if (role === "command" || role === "query") {
        const port = container.ports.find((p) => p.name === "grpc")?.containerPort;
        for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) expect(probe.grpc).toEqual({ port });
      } else if (role === "projector") {
        expect(container.readinessProbe.httpGet?.path).toBe("/metrics");
      } else {
        expect(container.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "http" });
        expect(container.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
      }
      // README writes a context's own variables once, as <CONTEXT>_ROLES, <CONTEXT>_GRPC_PORT, ...
      const documented = (variable: string) =>
        readme.includes(variable) || readme.includes(variable.replace(/^(CATALOG|INVENTORY|ORDERING|CUSTOMER)_/, "<CONTEXT>_"));
      const undocumented = container.env.map((e) => e.name).filter((variable) => !documented(variable));
      expect(undocumented, `${deployment.metadata.name}: variables missing from README`).toEqual([]);
    }
    const envOf = (component: string) => podOf(deployments.find((d) => d.metadata.name === `${RELEASE}-bazaar-${component}`)!).containers[0]!.env;
    const gatewayEnv = envOf("gateway");
    expect(gatewayEnv.find((e) => e.name === "AUTH_HS256_SECRET")?.valueFrom).toEqual({
      secretKeyRef: { name: `${RELEASE}-bazaar-secrets`, key: "AUTH_HS256_SECRET" },
    });
    expect(gatewayEnv.find((e) => e.name === "ORDERING_QUERY_ADDRESS")?.value).toBe(`${RELEASE}-bazaar-ordering-query:50053`);
    // /metrics has its own listener, on loopback unless told: Prometheus must reach it in a pod.
    expect(gatewayEnv.filter((e) => e.name.startsWith("GATEWAY_METRICS_"))).toEqual([
      { name: "GATEWAY_METRICS_HOST", value: "0.0.0.0" },
      { name: "GATEWAY_METRICS_PORT", value: "9468" },
    ]);
    expect(envOf("ordering-query").find((e) => e.name === "CATALOG_QUERY_ADDRESS")?.value).toBe(`${RELEASE}-bazaar-catalog-query:50051`);
    expect(envOf("inventory-projector").find((e) => e.name === "INVENTORY_ROLES")?.value).toBe("projector");
    // gRPC between the processes is authenticated: every context and the gateway share one key.
    for (const deployment of deployments) {
      const serviceKey = podOf(deployment).containers[0]!.env.find((e) => e.name === "SERVICE_AUTH_SECRET");
      expect(serviceKey?.valueFrom, deployment.metadata.name).toEqual({ secretKeyRef: { name: `${RELEASE}-bazaar-secrets`, key: "SERVICE_AUTH_SECRET" } });
    }
    const hpas = objects
      .filter((o) => o.kind === "HorizontalPodAutoscaler")
      .map((o) => o.metadata.name)
      .sort();
    expect(hpas).toEqual(["catalog-query", "customer-query", "gateway", "inventory-query", "ordering-query"].map((c) => `${RELEASE}-bazaar-${c}`));
  });

  it("every process accepts the configuration the chart gives it (its own config loader, production mode)", async () => {
    for (const values of [
      VALUE_SETS.default,
      VALUE_SETS.dev,
      ["--set", "auth.jwks.url=https://id.example.com/jwks.json", "--set", "auth.jwks.issuer=https://id.example.com/", "--set", "auth.jwks.audience=bazaar"],
    ]) {
      const objects = await parseYaml(await helm("template", RELEASE, chart, ...values));
      const secret = objects.find((o) => o.kind === "Secret") as unknown as { stringData: Record<string, string> };
      /** A container's environment as the kubelet would give it: values, and keys of the chart's Secret. */
      const envOf = (container: { env: { name: string; value?: string; valueFrom?: unknown }[] }) =>
        Object.fromEntries(
          container.env.map((e) => [e.name, e.value ?? secret.stringData[(e.valueFrom as { secretKeyRef: { key: string } }).secretKeyRef.key]]),
        );
      for (const deployment of objects.filter((o) => o.kind === "Deployment")) {
        const env = envOf(podOf(deployment).containers[0]!);
        const context = deployment.metadata.labels?.["bazaar.io/context"];
        if (!context) {
          const gateway = loadGatewayConfig(env);
          expect(gateway.mode).toBe("production");
          expect(gateway.http).toMatchObject({ host: "0.0.0.0", port: 8080 });
          continue;
        }
        const config = loadServiceConfig(context, { grpcPort: 1, metricsPort: 2 }, env);
        expect([...config.roles]).toEqual([deployment.metadata.labels?.["bazaar.io/role"]]);
        expect(config.grpc.host).toBe("0.0.0.0");
        if (context === "ordering") expect(loadOrderingConfig(env).catalogAddress).toBe(`${RELEASE}-bazaar-catalog-query:50051`);
      }
      // The migrate Job provisions every context as its processes would (it reads their settings).
      const job = objects.find((o) => o.kind === "Job") as unknown as { spec: { template: { spec: { containers: Parameters<typeof envOf>[0][] } } } };
      const jobEnv = envOf(job.spec.template.spec.containers[0]!);
      for (const context of ["catalog", "inventory", "ordering", "customer"]) {
        expect(loadServiceConfig(context, { grpcPort: 1, metricsPort: 2 }, jobEnv).cassandra.keyspace).toBe(context);
      }
    }
  });

  it("runs migrate before install only when what it needs exists before the release", async () => {
    const hookOf = async (values: readonly string[]) => {
      const [job] = await parseYaml(await helm("template", RELEASE, chart, ...values, "--show-only", "templates/migrate-job.yaml"));
      return (job?.metadata as { annotations?: Record<string, string> }).annotations?.["helm.sh/hook"];
    };
    // The Secret it reads SERVICE_AUTH_SECRET from is the user's: it exists before the release.
    expect(await hookOf(VALUE_SETS.production)).toBe("pre-install,pre-upgrade");
    // The chart generates the Secret, or the data stores are part of the release: after install.
    expect(await hookOf(VALUE_SETS.default)).toBe("post-install,pre-upgrade");
    expect(await hookOf(VALUE_SETS.dev)).toBe("post-install,pre-upgrade");
  });

  it("helm test's script passes against a running platform: /readyz, then the OpenAPI document", async () => {
    const [pod] = await parseYaml(await helm("template", RELEASE, chart, ...VALUE_SETS.default, "--show-only", "templates/tests/gateway-test.yaml"));
    const container = (pod as unknown as { spec: { containers: { command: string[]; args: string[] }[] } }).spec.containers[0]!;
    expect(container.command).toEqual(["sh", "-ec"]);
    const contexts = await startContexts(["catalog", "inventory", "ordering", "customer"]);
    try {
      const { base, process: gateway } = await contexts.startGateway();
      try {
        // The same script, pointed at this gateway instead of the release's Service, writing to scratch.
        const script = container.args[0]!.replaceAll(`http://${RELEASE}-bazaar-gateway:80`, base).replaceAll("/tmp/", `${scratch}/`);
        const { stdout } = await run("sh", ["-ec", script], { timeout: 90_000 });
        expect(stdout).toContain('"status":"ready"');
        expect(stdout).toContain("openapi.json lists /v1/products");
      } finally {
        await gateway.stop();
      }
    } finally {
      await contexts.stopAll();
      await contexts.cleanup();
    }
  });

  it("gives each process its own data-store login over the shared one, and the consistency, TLS and replicas asked for", async () => {
    const objects = await parseYaml(await helm("template", RELEASE, chart, ...VALUE_SETS.production));
    const containerOf = (name: string) =>
      podOf(objects.find((o) => o.kind === "Deployment" && o.metadata.name === `${RELEASE}-bazaar-${name}`)!).containers[0]! as unknown as {
        env: { name: string; value?: string }[];
        envFrom?: { secretRef: { name: string } }[];
      };
    const envValue = (name: string, variable: string) => containerOf(name).env.find((e) => e.name === variable)?.value;
    // Later envFrom entries win: the context's own logins over the shared Secret.
    expect(containerOf("catalog-command").envFrom?.map((e) => e.secretRef.name)).toEqual(["bazaar-data-store-credentials", "bazaar-catalog-data-stores"]);
    expect(containerOf("gateway").envFrom?.map((e) => e.secretRef.name)).toEqual(["bazaar-data-store-credentials", "bazaar-gateway-data-stores"]);
    expect(containerOf("inventory-command").envFrom?.map((e) => e.secretRef.name)).toEqual(["bazaar-data-store-credentials"]);
    expect(envValue("catalog-command", "CASSANDRA_TLS_CA")).toBe("/etc/bazaar/data-store-ca/ca.crt");
    expect(envValue("catalog-command", "CASSANDRA_CONSISTENCY")).toBe("LOCAL_QUORUM");
    expect(envValue("catalog-projector", "ELASTICSEARCH_REPLICAS")).toBe("1");
    // The migrate Job creates each keyspace's role with the password of that process's own login.
    const job = objects.find((o) => o.kind === "Job" && o.metadata.name === `${RELEASE}-bazaar-migrate`)!;
    const jobEnv = podOf(job).containers[0]!.env as unknown as { name: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
    const rolePasswords = jobEnv
      .filter((e) => e.name.endsWith("_CASSANDRA_PASSWORD"))
      .map((e) => [e.name, e.valueFrom?.secretKeyRef.name, e.valueFrom?.secretKeyRef.key]);
    expect(rolePasswords).toEqual([
      ["CATALOG_CASSANDRA_PASSWORD", "bazaar-catalog-data-stores", "CASSANDRA_PASSWORD"],
      ["GATEWAY_CASSANDRA_PASSWORD", "bazaar-gateway-data-stores", "CASSANDRA_PASSWORD"],
    ]);
    // With migrate ahead of them (pre-install), processes only check their schema; with the dev
    // data stores (migrate post-install) they create what is missing meanwhile.
    expect(envValue("catalog-command", "BAZAAR_PROVISIONING")).toBeUndefined();
    const development = await parseYaml(await helm("template", RELEASE, chart, ...VALUE_SETS.default));
    const developmentCatalog = podOf(development.find((o) => o.kind === "Deployment" && o.metadata.name === `${RELEASE}-bazaar-catalog-command`)!)
      .containers[0]!;
    expect((developmentCatalog.env as { name: string; value?: string }[]).find((e) => e.name === "BAZAAR_PROVISIONING")?.value).toBe("create");
    expect(await helmFailure("template", RELEASE, chart, ...VALUE_SETS.default, "--set", "cassandra.tls=true")).toContain(
      "cassandra.tls / nats.tls need dataStores.caSecret",
    );
    expect(await helmFailure("template", RELEASE, chart, ...VALUE_SETS.default, "--set", "cassandra.consistency=ONE")).toContain("/cassandra/consistency");
  });

  it("sends every process's spans to tracing.endpoint at the sampling asked for, with egress to it; tracing off by default", async () => {
    const endpoint = "http://jaeger-collector.observability:4318";
    const peer = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "observability" } } };
    // --set-json: --set would pass 0.25 as a string, which the schema refuses.
    const traced = await parseYaml(
      await helm(
        "template",
        RELEASE,
        chart,
        ...VALUE_SETS.default,
        "--set",
        `tracing.endpoint=${endpoint}`,
        "--set-json",
        "tracing.sampleRatio=0.25",
        "--set-json",
        `tracing.peers=${JSON.stringify([peer])}`,
      ),
    );
    const envOf = (deployment: (typeof traced)[number]) => Object.fromEntries(podOf(deployment).containers[0]!.env.map((e) => [e.name, e.value]));
    const egressOf = (objects: typeof traced, name: string) =>
      (objects.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === name)?.spec as { egress: { ports?: { port: number }[]; to?: unknown[] }[] })
        .egress ?? [];
    const deployments = traced.filter((o) => o.kind === "Deployment");
    expect(deployments).toHaveLength(13);
    for (const deployment of deployments) {
      const env = envOf(deployment);
      expect(env, deployment.metadata.name).toMatchObject({
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
        OTEL_TRACES_SAMPLER_ARG: "0.25",
      });
      expect(env.OTEL_SDK_DISABLED).toBeUndefined();
      // What the processes make of it: their own tracing settings.
      expect(loadConfig(tracingEnv, env)).toMatchObject({ endpoint: `${endpoint}/v1/traces`, sampler: { name: "parentbased_traceidratio", ratio: 0.25 } });
      expect(egressOf(traced, deployment.metadata.name)).toContainEqual({ ports: [{ protocol: "TCP", port: 4318 }], to: [peer] });
    }

    const untraced = await parseYaml(await helm("template", RELEASE, chart, ...VALUE_SETS.default));
    for (const deployment of untraced.filter((o) => o.kind === "Deployment")) {
      const env = envOf(deployment);
      expect(env.OTEL_SDK_DISABLED, deployment.metadata.name).toBe("true");
      expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
      expect(loadConfig(tracingEnv, env).endpoint).toBeUndefined();
      expect(egressOf(untraced, deployment.metadata.name).some((rule) => rule.ports?.some((port) => port.port === 4318))).toBe(false);
    }
    expect(await helmFailure("template", RELEASE, chart, ...VALUE_SETS.default, "--set", "tracing.sampleRatio=2")).toContain("/tracing/sampleRatio");
    expect(await helmFailure("template", RELEASE, chart, ...VALUE_SETS.default, "--set", "tracing.endpoint=jaeger:4318")).toContain("/tracing/endpoint");
  });

  it("refuses an install without a way to verify tokens", async () => {
    expect(await helmFailure("template", RELEASE, chart)).toContain("no way to verify bearer tokens");
  });

  it("refuses a short secret and a JWKS without issuer and audience", async () => {
    expect(await helmFailure("template", RELEASE, chart, "--set", "auth.hs256Secret=short")).toContain(
      "auth.hs256Secret is 5 characters: at least 32 are needed",
    );
    expect(await helmFailure("template", RELEASE, chart, ...VALUE_SETS.default, "--set", "serviceAuthSecret=short")).toContain(
      "serviceAuthSecret must be at least 32 characters",
    );
    expect(await helmFailure("template", RELEASE, chart, "--set", "auth.jwks.url=https://id.example.com/jwks.json")).toContain(
      "auth.jwks.url needs auth.jwks.issuer and auth.jwks.audience",
    );
  });

  it("refuses a bad value with the schema's message", async () => {
    const wrongType = await helmFailure("template", RELEASE, chart, ...VALUE_SETS.default, "--set", "cassandra.replicationFactor=three");
    expect(wrongType).toContain("at '/cassandra/replicationFactor': got string, want integer");
    const unknownKey = await helmFailure("template", RELEASE, chart, ...VALUE_SETS.default, "--set", "gateway.settings.requestBudgetMillis=5000");
    expect(unknownKey).toContain("additional properties 'requestBudgetMillis' not allowed");
  });
});
