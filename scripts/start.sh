#!/usr/bin/env bash
# `npm start`: the whole platform on this machine. Brings the local stack up if it is not,
# builds, starts the four contexts (all roles each) and the gateway, prints the URLs. Ctrl-C stops the services
# (the stack keeps running: `npm run stack -- down` stops it).
source "$(dirname "$0")/lib.sh"

echo "==> checking prerequisites (all of them: npm run doctor)"
check_prerequisites start || exit 1
ensure_deps
build
deploy/local/stack up
export_stack_logins

logs="${BAZAAR_STATE_DIR:-$ROOT/.local}/logs"
mkdir -p "$logs"
export CASSANDRA_CONTACT_POINTS="127.0.0.1:${CASSANDRA_PORT:-9042}"
export NATS_SERVERS="nats://127.0.0.1:${NATS_PORT:-4222}"
export ELASTICSEARCH_URL="http://127.0.0.1:${ES_PORT:-9200}"
export CATALOG_GRPC_PORT="${CATALOG_GRPC_PORT:-50051}" INVENTORY_GRPC_PORT="${INVENTORY_GRPC_PORT:-50052}"
export ORDERING_GRPC_PORT="${ORDERING_GRPC_PORT:-50053}" CUSTOMER_GRPC_PORT="${CUSTOMER_GRPC_PORT:-50054}"
export CATALOG_COMMAND_ADDRESS="127.0.0.1:$CATALOG_GRPC_PORT" CATALOG_QUERY_ADDRESS="127.0.0.1:$CATALOG_GRPC_PORT"
export GATEWAY_PORT="${GATEWAY_PORT:-8080}"
# One machine, nothing shared: the gateway and the CLI may use their built-in development secrets
# (set AUTH_HS256_SECRET / CONSISTENCY_TOKEN_SECRET, or BAZAAR_MODE=production, to use your own).
export BAZAAR_MODE="${BAZAAR_MODE:-development}"
# Spans go to the local Jaeger when it runs (`stack up` starts it unless its build failed);
# OTEL_EXPORTER_OTLP_ENDPOINT set beforehand sends them elsewhere, OTEL_SDK_DISABLED=true nowhere.
if [[ -z "${OTEL_EXPORTER_OTLP_ENDPOINT:-}" ]] && deploy/local/stack status jaeger 2>/dev/null | grep -q ' healthy$'; then
  export OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:${JAEGER_OTLP_HTTP_PORT:-4318}"
  traces="to Jaeger, http://127.0.0.1:${JAEGER_QUERY_PORT:-16686}/search (every request: OTEL_TRACES_SAMPLER_ARG=${OTEL_TRACES_SAMPLER_ARG:-1})"
else
  traces="${OTEL_EXPORTER_OTLP_ENDPOINT:-off (Jaeger is not running: npm run stack -- up jaeger)}"
fi

pids=()
stop_services() {
  trap - INT TERM EXIT
  echo "==> stopping services"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_services INT TERM EXIT

# start NAME READY_LINE SCRIPT: runs a service, its JSON log on the terminal and in .local/logs.
start() {
  local name=$1 ready=$2 script=$3 log="$logs/$1.log"
  : >"$log"
  node "$script" > >(tee -a "$log") 2>&1 &
  pids+=($!)
  wait_ready "$name" "$ready" "$log" "${pids[-1]}" || exit 1
}

for context in catalog inventory ordering customer; do
  start "$context" "$context ready" "services/$context/dist/main.js"
done
start gateway "gateway listening" gateway/dist/main.js

# Printed on this terminal only (never into a log): the walkthrough's first line needs it.
token="$(node cli/dist/main.js token mint --staff --ttl 86400)"

cat <<MSG

Bazaar is up.
  REST API   http://127.0.0.1:$GATEWAY_PORT   (OpenAPI: /openapi.json, interactive docs: /docs)
  console    http://127.0.0.1:$GATEWAY_PORT/console/   (sign in with the token below)
  token      export TOKEN=$token
             (staff: all scopes, every customer, 24 h; then: curl -H "Authorization: Bearer \$TOKEN" 'http://127.0.0.1:$GATEWAY_PORT/v1/products?q=mug')
  gRPC       catalog :$CATALOG_GRPC_PORT, inventory :$INVENTORY_GRPC_PORT, ordering :$ORDERING_GRPC_PORT, customer :$CUSTOMER_GRPC_PORT
             (command, projector and query roles each; health + reflection)
  logs       $logs/{catalog,inventory,ordering,customer,gateway}.log
  traces     $traces
Ctrl-C stops the services; 'npm run stack -- down' stops Cassandra, NATS and Elasticsearch.

MSG
wait -n "${pids[@]}" || true
