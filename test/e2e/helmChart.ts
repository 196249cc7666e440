import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { root } from "./platform.js";

/**
 * What the chart's tests share: the tools deploy/k8s/tools builds (helm, kubernetes-validate, and
 * for the apiserver test etcd and kube-apiserver; cached per machine, long only the first time),
 * the value sets and what each renders.
 */
export const run = promisify(execFile);
export const chart = `${root}deploy/helm/bazaar`;
export const RELEASE = "bzr";
export const NAMESPACE = "bazaar-validation";
export const HS256 = randomBytes(36).toString("base64url");

export type KubeObject = { kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: Record<string, unknown> };
type Probe = { grpc?: { port: number }; httpGet?: { path: string; port: number | string } };
type Container = {
  env: { name: string; value?: string; valueFrom?: unknown }[];
  ports: { name: string; containerPort: number }[];
  securityContext: unknown;
  volumeMounts: unknown[];
  resources: { requests: Record<string, string> };
  readinessProbe: Probe;
  livenessProbe: Probe;
  startupProbe: Probe;
};
type PodSpec = { securityContext: unknown; automountServiceAccountToken: boolean; volumes: unknown[]; containers: Container[] };
export const podOf = (deployment: KubeObject) => (deployment.spec as { template: { spec: PodSpec } }).template.spec;

/** KEY=value lines of a script's output. */
export const keyValues = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .split("\n")
      .filter((line) => /^[A-Z_0-9]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );

export type Tools = { HELM: string; KUBERNETES_VALIDATE: string; K8S_SCHEMA_VERSIONS: string; KUBE_APISERVER?: string };
/** deploy/k8s/tools: `static` skips the etcd and kube-apiserver build. */
export const loadTools = async (which: "static" | "all"): Promise<Tools> =>
  keyValues(
    (await run("bash", [`${root}deploy/k8s/tools`, ...(which === "static" ? ["--static"] : [])], { cwd: root, timeout: 3_600_000, maxBuffer: 1 << 22 })).stdout,
  ) as Tools;

export const helmWith =
  (tools: Tools) =>
  async (...args: string[]) =>
    (await run(tools.HELM, args, { cwd: root, timeout: 120_000, maxBuffer: 1 << 24 })).stdout;

/** YAML documents as objects, parsed by the PyYAML that kubernetes-validate's venv carries. */
export const parseYamlWith = (tools: Tools) => (text: string) =>
  new Promise<KubeObject[]>((resolve, reject) => {
    const python = `${tools.KUBERNETES_VALIDATE.slice(0, tools.KUBERNETES_VALIDATE.lastIndexOf("/"))}/python`;
    const script = "import json, sys, yaml; print(json.dumps([d for d in yaml.safe_load_all(sys.stdin) if d]))";
    const child = execFile(python, ["-c", script], { maxBuffer: 1 << 24 }, (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout) as KubeObject[]),
    );
    child.stdin?.end(text);
  });

export const countByKind = (objects: KubeObject[]) => {
  const counts: Record<string, number> = {};
  for (const { kind } of objects) counts[kind] = (counts[kind] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort());
};

export const VALUE_SETS = {
  default: ["--set", `auth.hs256Secret=${HS256}`],
  production: ["-f", `${chart}/values-production.yaml`],
  dev: ["-f", `${chart}/values-dev.yaml`, "--set", `auth.hs256Secret=${HS256}`],
} as const;
/** What each value set renders, by kind (13 Deployments: 4 contexts x 3 roles + the gateway). */
export const EXPECTED_KINDS: Record<keyof typeof VALUE_SETS, Record<string, number>> = {
  default: { Deployment: 13, HorizontalPodAutoscaler: 5, Job: 1, NetworkPolicy: 17, Pod: 1, PodDisruptionBudget: 13, Secret: 1, Service: 9, ServiceAccount: 1 },
  production: { Deployment: 13, HorizontalPodAutoscaler: 5, Job: 1, NetworkPolicy: 17, Pod: 1, PodDisruptionBudget: 13, Service: 9, ServiceAccount: 1 },
  dev: { Deployment: 13, Job: 1, NetworkPolicy: 20, Pod: 1, PodDisruptionBudget: 13, Secret: 1, Service: 12, ServiceAccount: 1, StatefulSet: 3 },
};
