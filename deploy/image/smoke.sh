#!/usr/bin/env bash
# Smoke test of the built image against the local stack (deploy/local/stack, loopback):
# runs, from the image's own filesystem (`buildah run`, chroot isolation, host network, as the
# image's user 10001), `cli migrate` for the catalog and the gateway, then the catalog (all
# roles) and the gateway on free loopback ports, and makes one REST round trip — create a
# product, read it back with the write's consistency token — and loads the web console. Everything lives in a fresh
# namespace (BAZAAR_NAMESPACE, own keyspaces), dropped at the end.
#
# Usage: deploy/image/smoke.sh [image]   (default localhost/bazaar:latest; build it with
# deploy/image/build.sh). Exit 0 on success; otherwise the failing step and the processes' logs.
set -euo pipefail

IMAGE="${1:-${BAZAAR_IMAGE:-localhost/bazaar:latest}}"
ISOLATION="${BAZAAR_ISOLATION:-chroot}"
# ROOT, the project's Node first on PATH, export_stack_logins, wait_ready.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

buildah inspect --type image "$IMAGE" >/dev/null 2>&1 || { echo "no image $IMAGE here: run deploy/image/build.sh first" >&2; exit 1; }

NS="smoke$(od -An -N4 -tx4 /dev/urandom | tr -d ' \n')"
WORK="$(mktemp -d)"
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
CATALOG_PORT="$(free_port)"
GATEWAY_PORT="$(free_port)"
secret() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }

# What every process of this run sees (the stack's defaults are loopback addresses).
ENV_ARGS=(
  --env BAZAAR_NAMESPACE="$NS"
  --env CATALOG_KEYSPACE="catalog_$NS"
  --env GATEWAY_KEYSPACE="gateway_$NS"
  --env CASSANDRA_CONTACT_POINTS="127.0.0.1:${CASSANDRA_PORT:-9042}"
  --env NATS_SERVERS="nats://127.0.0.1:${NATS_PORT:-4222}"
  --env ELASTICSEARCH_URL="http://127.0.0.1:${ES_PORT:-9200}"
  --env CATALOG_GRPC_HOST=127.0.0.1
  --env CATALOG_GRPC_PORT="$CATALOG_PORT"
  --env CATALOG_METRICS_PORT=0
  --env GATEWAY_HOST=127.0.0.1
  --env GATEWAY_PORT="$GATEWAY_PORT"
  --env CATALOG_COMMAND_ADDRESS="127.0.0.1:$CATALOG_PORT"
  --env CATALOG_QUERY_ADDRESS="127.0.0.1:$CATALOG_PORT"
  --env AUTH_HS256_SECRET="$(secret)"
  --env CONSISTENCY_TOKEN_SECRET="$(secret)"
  --env SERVICE_AUTH_SECRET="$(secret)"
)
# The stack's logins: the ones given, else its admin's (deploy/local/stack generated them).
export_stack_logins
if [[ -n "${CASSANDRA_USERNAME:-}" ]]; then ENV_ARGS+=(--env "CASSANDRA_USERNAME=$CASSANDRA_USERNAME" --env "CASSANDRA_PASSWORD=$CASSANDRA_PASSWORD"); fi
if [[ -n "${NATS_USER:-}" ]]; then ENV_ARGS+=(--env "NATS_USER=$NATS_USER" --env "NATS_PASSWORD=$NATS_PASSWORD"); fi

CTR="$(buildah from --pull-never "$IMAGE")"
PIDS=()

# What runs under a `buildah run` this script started (the entrypoint's node), children first.
descendants() { local child; for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do descendants "$child"; echo "$child"; done; }
# SIGTERM to the processes in the image (a graceful stop, as Kubernetes does); `buildah run`
# then ends by itself (signalled directly, buildah 1.28 panics). SIGKILL after 10 s.
stop_all() {
  local pid p
  for pid in "${PIDS[@]}"; do
    for p in $(descendants "$pid"); do kill -TERM "$p" 2>/dev/null || true; done
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    for p in $(descendants "$pid") "$pid"; do kill -KILL "$p" 2>/dev/null || true; done
    wait "$pid" 2>/dev/null || true
  done
}
cleanup() {
  local code=$?
  stop_all
  buildah rm "$CTR" >/dev/null 2>&1 || true
  node --input-type=module -e "
    const { dropNamespace } = await import('$ROOT/packages/testing/dist/index.js');
    await dropNamespace('$NS', ['catalog_$NS', 'gateway_$NS']);" || echo "could not drop namespace $NS" >&2
  if [[ $code -ne 0 ]]; then
    for log in "$WORK"/*.log; do echo "--- $(basename "$log")"; tail -n 40 "$log"; done >&2
  fi
  rm -rf "$WORK"
  exit "$code"
}
trap cleanup EXIT

in_image() { buildah run --isolation "$ISOLATION" --network host --user 10001:10001 "${ENV_ARGS[@]}" "$CTR" -- /usr/local/bin/bazaar-entrypoint "$@"; }

# Starts a process from the image in the background; waits (bounded) for its ready line.
start() {
  local name=$1 ready=$2; shift 2
  in_image "$@" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  wait_ready "$name" "$ready" "$WORK/$name.log" "${PIDS[-1]}"
}

step() { printf '==> %s\n' "$*"; }
started=$(date +%s)

step "image $IMAGE: $(buildah run --isolation "$ISOLATION" "$CTR" -- node --version) as uid $(buildah run --isolation "$ISOLATION" --user 10001:10001 "$CTR" -- id -u), namespace $NS"
step "cli migrate --context catalog --context gateway"
in_image cli migrate --context catalog --context gateway | tee "$WORK/migrate.log" | tail -n 1

step "catalog (all roles) on 127.0.0.1:$CATALOG_PORT"
start catalog "catalog ready" catalog all
step "gateway on 127.0.0.1:$GATEWAY_PORT"
start gateway "gateway listening" gateway

TOKEN="$(in_image cli token mint --staff --scopes catalog:write,read --subject smoke --ttl 600)"
BASE="http://127.0.0.1:$GATEWAY_PORT"
SKU="SMOKE-$NS"

step "POST /v1/products"
status=$(curl -sS -o "$WORK/created.json" -D "$WORK/created.headers" -w '%{http_code}' -X POST "$BASE/v1/products" \
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"sku\":\"$SKU\",\"name\":\"Image smoke kettle\",\"description\":\"from the image\",\"category\":\"kitchen\",\"price\":{\"amount\":2599,\"currency\":\"EUR\"},\"attributes\":{}}")
[[ "$status" == 201 ]] || { echo "create answered $status: $(cat "$WORK/created.json")" >&2; exit 1; }
ID=$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).id' "$WORK/created.json")
CONSISTENCY=$(tr -d '\r' <"$WORK/created.headers" | sed -n 's/^[Xx]-[Cc]onsistency-[Tt]oken: //p')
[[ -n "$CONSISTENCY" ]] || { echo "create answered no X-Consistency-Token" >&2; exit 1; }

step "GET /v1/products/$ID"
status=$(curl -sS -o "$WORK/read.json" -w '%{http_code}' "$BASE/v1/products/$ID" -H "Authorization: Bearer $TOKEN" -H "X-Consistency-Token: $CONSISTENCY")
[[ "$status" == 200 ]] || { echo "read answered $status: $(cat "$WORK/read.json")" >&2; exit 1; }
node -e '
  const product = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const expected = { id: process.argv[2], sku: process.argv[3], name: "Image smoke kettle", price: { amount: 2599, currency: "EUR" } };
  for (const [key, value] of Object.entries(expected)) {
    if (JSON.stringify(product[key]) !== JSON.stringify(value)) { console.error(`read back ${key} = ${JSON.stringify(product[key])}, expected ${JSON.stringify(value)}`); process.exit(1); }
  }' "$WORK/read.json" "$ID" "$SKU"

step "GET /console/"
status=$(curl -sS -o "$WORK/console.html" -w '%{http_code}' "$BASE/console/")
[[ "$status" == 200 ]] && grep -qi '<html' "$WORK/console.html" || { echo "the gateway served no console: $status $(head -c 300 "$WORK/console.html")" >&2; exit 1; }

step "smoke test passed in $(($(date +%s) - started)) s: product $ID created and read back through the gateway, both processes from $IMAGE"
