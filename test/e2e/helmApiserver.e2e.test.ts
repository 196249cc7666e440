import { mkdtempSync, readFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chart,
  countByKind,
  EXPECTED_KINDS,
  helmWith,
  keyValues,
  loadTools,
  NAMESPACE,
  parseYamlWith,
  podOf,
  RELEASE,
  run,
  VALUE_SETS,
  type KubeObject,
} from "./helmChart.js";
import { root } from "./platform.js";

/**
 * The Helm chart on a real Kubernetes API (issue 9 §3): etcd and kube-apiserver built from their
 * Go modules (deploy/k8s/tools), started on loopback (deploy/k8s/apiserver); `helm install`,
 * `helm upgrade` with changed values, `helm uninstall`, every object accepted by the server's
 * validation and admission and stored. No kubelet and no controllers: nothing runs, which is
 * expected; hooks are checked by a server-side dry-run (see below).
 */
let helm: ReturnType<typeof helmWith>;
let parseYaml: ReturnType<typeof parseYamlWith>;

/** The Kubernetes REST paths of what the chart creates, by kind (namespaced). */
const API_PATHS: Record<string, string> = {
  Deployment: "/apis/apps/v1/namespaces/{ns}/deployments",
  StatefulSet: "/apis/apps/v1/namespaces/{ns}/statefulsets",
  HorizontalPodAutoscaler: "/apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers",
  Job: "/apis/batch/v1/namespaces/{ns}/jobs",
  NetworkPolicy: "/apis/networking.k8s.io/v1/namespaces/{ns}/networkpolicies",
  PodDisruptionBudget: "/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets",
  Pod: "/api/v1/namespaces/{ns}/pods",
  Secret: "/api/v1/namespaces/{ns}/secrets",
  Service: "/api/v1/namespaces/{ns}/services",
  ServiceAccount: "/api/v1/namespaces/{ns}/serviceaccounts",
};

type Apiserver = { KUBECONFIG: string; APISERVER_URL: string; APISERVER_CA: string; APISERVER_TOKEN_FILE: string; APISERVER_READY_SECONDS: string };

describe("the chart on a real kube-apiserver (etcd + kube-apiserver on loopback, no kubelet)", () => {
  let server: Apiserver;
  let dir: string;
  let token: string;
  const call = (method: string, path: string, body?: unknown) =>
    new Promise<{ status: number; body: { items?: KubeObject[]; data?: Record<string, string>; message?: string } }>((resolve, reject) => {
      const url = new URL(path.replace("{ns}", NAMESPACE), server.APISERVER_URL);
      const req = request(
        url,
        { method, ca: readFileSync(server.APISERVER_CA), headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || "{}") }));
        },
      );
      req.on("error", reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  /** What the server holds of this release, by kind (the chart labels every object with its instance). */
  const storedByKind = async () => {
    const counts: Record<string, number> = {};
    for (const [kind, path] of Object.entries(API_PATHS)) {
      const { status, body } = await call("GET", `${path}?labelSelector=app.kubernetes.io/instance=${RELEASE}`);
      expect(status, `${kind}: ${body.message}`).toBe(200);
      if (body.items?.length) counts[kind] = body.items.length;
    }
    return counts;
  };
  /** The keys the chart generates (base64, as stored). */
  const generatedKeys = async () => {
    const { data } = (await call("GET", `/api/v1/namespaces/{ns}/secrets/${RELEASE}-bazaar-secrets`)).body;
    return { consistency: data?.CONSISTENCY_TOKEN_SECRET, service: data?.SERVICE_AUTH_SECRET };
  };
  const onServer = (...args: string[]) => helm(...args, "--kubeconfig", server.KUBECONFIG, "--namespace", NAMESPACE);
  /** Hooks (the migrate Job, helm test's Pod) never complete without a kubelet: the server checks them by a dry-run create. */
  const dryRunHooks = async () => {
    const hooks = await parseYaml(await onServer("get", "hooks", RELEASE));
    expect(hooks.map((h) => h.kind).sort()).toEqual(["Job", "Pod"]);
    for (const hook of hooks) {
      const { status, body } = await call("POST", `${API_PATHS[hook.kind]}?dryRun=All`, hook);
      expect(status, `${hook.kind} ${hook.metadata.name}: ${body.message}`).toBe(201);
    }
    return hooks.length;
  };

  beforeAll(async () => {
    const tools = await loadTools("all");
    expect(tools.KUBE_APISERVER).toBeTruthy();
    helm = helmWith(tools);
    parseYaml = parseYamlWith(tools);
    dir = mkdtempSync(join(tmpdir(), "bazaar-apiserver-"));
    const started = await run("bash", [`${root}deploy/k8s/apiserver`, "start", dir], { cwd: root, timeout: 180_000 });
    server = keyValues(started.stdout) as Apiserver;
    token = readFileSync(server.APISERVER_TOKEN_FILE, "utf8").split(",")[0]!;
    console.log(`kube-apiserver ready in ${server.APISERVER_READY_SECONDS} s at ${server.APISERVER_URL}`);
  }, 3_600_000);
  afterAll(async () => {
    if (dir) await run("bash", [`${root}deploy/k8s/apiserver`, "stop", dir], { cwd: root, timeout: 60_000 });
  });

  it("install, upgrade with changed values, uninstall: every object accepted and stored", async () => {
    // --no-hooks: a hook Job is awaited by helm and never completes here (no kubelet); its object
    // is checked by a server-side dry-run instead, with full validation and admission.
    const installed = await onServer("install", RELEASE, chart, "--create-namespace", "--no-hooks", ...VALUE_SETS.default);
    expect(installed).toContain("STATUS: deployed");
    const manifest = countByKind(await parseYaml(await onServer("get", "manifest", RELEASE)));
    const afterInstall = await storedByKind();
    console.log("helm install: stored by kind", afterInstall);
    expect(afterInstall).toEqual(manifest);
    expect(afterInstall).toEqual(Object.fromEntries(Object.entries(EXPECTED_KINDS.default).filter(([kind]) => kind !== "Job" && kind !== "Pod")));
    const keys = await generatedKeys();
    expect(keys.consistency).toBeTruthy();
    expect(keys.service).toBeTruthy();
    // The namespace's default service account is made by a controller that does not run here;
    // the hook Pod's admission (ServiceAccount plugin) needs it.
    expect([201, 409]).toContain((await call("POST", "/api/v1/namespaces/{ns}/serviceaccounts", { metadata: { name: "default" } })).status);
    expect(await dryRunHooks()).toBe(2);

    // Changed values: the dev data stores come in (3 StatefulSets), autoscaling goes (0 HPAs),
    // one replica each, a tuned gateway. The generated keys survive (lookup).
    const upgraded = await onServer("upgrade", RELEASE, chart, "--no-hooks", ...VALUE_SETS.dev, "--set", "gateway.settings.rateLimitLimit=900");
    expect(upgraded).toContain("STATUS: deployed");
    const afterUpgrade = await storedByKind();
    console.log("helm upgrade (dev values): stored by kind", afterUpgrade);
    expect(afterUpgrade).toEqual(countByKind(await parseYaml(await onServer("get", "manifest", RELEASE))));
    expect(afterUpgrade.StatefulSet).toBe(3);
    expect(afterUpgrade.HorizontalPodAutoscaler).toBeUndefined();
    const gateway = (await call("GET", `/apis/apps/v1/namespaces/{ns}/deployments/${RELEASE}-bazaar-gateway`)).body as unknown as KubeObject;
    expect(gateway.spec?.replicas).toBe(1);
    expect(podOf(gateway).containers[0]!.env).toContainEqual({ name: "RATE_LIMIT_LIMIT", value: "900" });
    expect(podOf(gateway).containers[0]!.env).toContainEqual({ name: "CASSANDRA_CONTACT_POINTS", value: `${RELEASE}-bazaar-dev-cassandra:9042` });
    expect(await generatedKeys()).toEqual(keys);
    expect(await dryRunHooks()).toBe(2);

    await onServer("uninstall", RELEASE);
    expect(await storedByKind()).toEqual({});
  });

  it("an object the server refuses fails the install (its validation is really in the loop)", async () => {
    // The values schema leaves pod security fields to Kubernetes; the server checks them.
    const refused = await onServer("install", "refused", chart, "--no-hooks", ...VALUE_SETS.default, "--set", "podSecurityContext.runAsUser=-5").then(
      () => "",
      (error: { stderr?: string }) => String(error.stderr),
    );
    expect(refused).toContain("spec.template.spec.securityContext.runAsUser: Invalid value: -5: must be between 0 and 2147483647");
    await onServer("uninstall", "refused").catch(() => undefined);
  });
});
