# shellcheck shell=bash
# Shared by deploy/k8s/*: pinned versions, the machine-wide cache, and the builds of helm, etcd,
# kube-apiserver and the kubernetes-validate venv — each fetched or built once, skipped when present.
# Sourced, never executed.
set -euo pipefail

K8S_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$K8S_DIR/../.." && pwd)"
CHART_DIR="$REPO_ROOT/deploy/helm/bazaar"

HELM_VERSION="${HELM_VERSION:-v3.22.0}"
# The apiserver and the etcd it was released with (k8s.io/kubernetes' go.mod pins etcd 3.7.0).
KUBERNETES_VERSION="${KUBERNETES_VERSION:-v1.37.2}"
ETCD_VERSION="${ETCD_VERSION:-v3.7.0}"
KUBERNETES_VALIDATE_VERSION="${KUBERNETES_VALIDATE_VERSION:-1.37.0}"
# Schemas the rendered chart is checked against: the oldest supported minor (Chart.yaml kubeVersion)
# and the newest one this kubernetes-validate ships.
K8S_SCHEMA_VERSIONS="${K8S_SCHEMA_VERSIONS:-1.33.0 1.37.0}"

CACHE_DIR="${BAZAAR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bazaar}"
K8S_CACHE="$CACHE_DIR/k8s"
HELM_BIN="$K8S_CACHE/helm-$HELM_VERSION/bin/helm"
KUBE_TOOLS_DIR="$K8S_CACHE/kube-$KUBERNETES_VERSION-etcd-$ETCD_VERSION"
KUBE_APISERVER_BIN="$KUBE_TOOLS_DIR/bin/kube-apiserver"
ETCD_BIN="$KUBE_TOOLS_DIR/bin/etcd"
VALIDATE_VENV="$K8S_CACHE/kubernetes-validate-$KUBERNETES_VALIDATE_VERSION"

# Progress goes to stderr; stdout carries only the KEY=value lines callers parse (emit).
info() { printf '%s\n' "$*" >&2; }
emit() { printf '%s=%s\n' "$1" "$2"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Go builds share the stack's module and build caches (deploy/local builds nats-server there too).
go_env() {
  command -v go >/dev/null || die "go not found (needed to build helm, etcd and kube-apiserver)"
  export GOPATH="$CACHE_DIR/go" GOMODCACHE="$CACHE_DIR/go/pkg/mod" GOCACHE="$CACHE_DIR/go/build"
  export GOFLAGS=-modcacherw CGO_ENABLED=0
}

ensure_helm() {
  [[ -x "$HELM_BIN" ]] && return 0
  go_env
  info "==> building helm $HELM_VERSION (go install helm.sh/helm/v3/cmd/helm; first time only)"
  local t0=$SECONDS helm_mod client_go major minor
  # As helm's Makefile does: stamp the version, and the Kubernetes version `helm template` and
  # `helm lint` assume without a cluster (that of the client-go it was built with; else 1.20).
  helm_mod="$(go mod download -json "helm.sh/helm/v3@$HELM_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  client_go="$(sed -n 's#^\tk8s.io/client-go v0\.\([0-9]*\)\..*#\1#p' "$helm_mod")"
  [[ -n "$client_go" ]] || die "no k8s.io/client-go version in $helm_mod"
  major=1 minor="$client_go"
  GOBIN="$(dirname "$HELM_BIN")" nice -n 10 go install -ldflags "-w -s \
    -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION \
    -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=$major -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$minor \
    -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=$major -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$minor" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  info "    helm built in $((SECONDS - t0)) s"
}

# etcd's and kubernetes' own go.mod files point their sibling modules at local folders (replace
# ../api, ./staging/src/k8s.io/...), so `go install pkg@version` refuses them. A wrapper module
# requires both and replaces each staging module with its published version (v1.X.Y -> v0.X.Y),
# then builds the two main packages from the module cache.
write_wrapper_module() {
  local dir="$1" kube_mod staging_version="v0.${KUBERNETES_VERSION#v1.}"
  kube_mod="$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  [[ -f "$kube_mod" ]] || die "could not download k8s.io/kubernetes@$KUBERNETES_VERSION"
  {
    printf 'module bazaar.local/kube-tools\n\ngo %s\n\n' "$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$kube_mod")"
    printf 'require (\n\tk8s.io/kubernetes %s\n\tgo.etcd.io/etcd/server/v3 %s\n)\n\nreplace (\n' "$KUBERNETES_VERSION" "$ETCD_VERSION"
    sed -n 's#^\t\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*$#\t\1 => \1 '"$staging_version"'#p' "$kube_mod"
    printf ')\n'
  } >"$dir/go.mod"
  grep -q "k8s.io/api => k8s.io/api $staging_version" "$dir/go.mod" || die "no staging replace lines found in $kube_mod"
}

# Stamped as Kubernetes' own build does (hack/lib/version.sh): helm checks the server's version
# against the chart's kubeVersion, and an unstamped build says v0.0.0-master.
kube_ldflags() {
  local minor="${KUBERNETES_VERSION#v1.}"
  minor="${minor%%.*}"
  printf -- '-w -s -X k8s.io/component-base/version.gitVersion=%s -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=%s -X k8s.io/component-base/version.gitTreeState=clean' \
    "$KUBERNETES_VERSION" "$minor"
}

ensure_kube_tools() {
  if [[ -x "$KUBE_APISERVER_BIN" && -x "$ETCD_BIN" ]] && "$KUBE_APISERVER_BIN" --version 2>/dev/null | grep -qx "Kubernetes $KUBERNETES_VERSION"; then
    return 0
  fi
  go_env
  local module="$KUBE_TOOLS_DIR/module" t0=$SECONDS
  mkdir -p "$module" "$KUBE_TOOLS_DIR/bin"
  info "==> building kube-apiserver $KUBERNETES_VERSION and etcd $ETCD_VERSION from Go modules (first time only; long on 2 cores)"
  write_wrapper_module "$module"
  (
    cd "$module"
    go get "k8s.io/kubernetes/cmd/kube-apiserver@$KUBERNETES_VERSION" "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
    nice -n 10 go build -trimpath -ldflags "-w -s" -o "$KUBE_TOOLS_DIR/bin/etcd.partial" go.etcd.io/etcd/server/v3
    mv "$KUBE_TOOLS_DIR/bin/etcd.partial" "$ETCD_BIN"
    info "    etcd built ($((SECONDS - t0)) s so far)"
    nice -n 10 go build -trimpath -ldflags "$(kube_ldflags)" -o "$KUBE_TOOLS_DIR/bin/kube-apiserver.partial" k8s.io/kubernetes/cmd/kube-apiserver
    mv "$KUBE_TOOLS_DIR/bin/kube-apiserver.partial" "$KUBE_APISERVER_BIN"
  )
  info "    kube-apiserver and etcd built in $((SECONDS - t0)) s"
}

# kubernetes-validate (PyPI) ships the Kubernetes OpenAPI schemas of many minor versions.
ensure_validator() {
  [[ -f "$VALIDATE_VENV/.complete" ]] && return 0
  command -v python3 >/dev/null || die "python3 not found (needed for kubernetes-validate)"
  info "==> installing kubernetes-validate $KUBERNETES_VALIDATE_VERSION (PyPI) into $VALIDATE_VENV"
  rm -rf "$VALIDATE_VENV"
  python3 -m venv "$VALIDATE_VENV"
  "$VALIDATE_VENV/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
  touch "$VALIDATE_VENV/.complete"
}
