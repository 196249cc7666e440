#!/usr/bin/env bash
# Builds and runs the benchmarks against the local stack (docs/benchmarks.md).
#
#   npm run bench                       all, in order: append, paxos, commitlog, catchup, visibility
#   npm run bench -- append [--concurrency 8,32,64 --duration 20 --warmup 5]
#   npm run bench -- paxos  [--runs 2 --concurrency 32 --duration 20 --warmup 5]
#   npm run bench -- commitlog [--runs 2 --concurrency 32 --duration 20 --warmup 5]
#   npm run bench -- catchup [--streams 5000 --versions 10 --batch-size 500]
#   npm run bench -- visibility [--rate N --refresh 1s,100ms --duration 20]
#   npm run bench -- e2e [--concurrency 1,16 --duration 10 --warmup 3 --fanout 20 --ops … --cpu-prof DIR --idle 5]
#   npm run bench -- spans-off [--iterations 200000 --rounds 6]   what the tracing code costs with tracing off
#   npm run bench -- marker-probe [--streams 1000,10000]   what SAI offers a pending marker in the stream's partition
#   npm run bench -- gateway-edge [--rounds 8 --seconds 5 --against DIR --cpu-prof DIR]   the gateway's own CPU per request vs bare node:http
#   npm run bench -- nats-publish [--publishes 4000 --rounds 6 --concurrency 16]   a JetStream publish's client CPU, async traces on vs off
#   npm run bench -- grpc-client [--calls 10000 --concurrency 16 --rounds 6 --sample-ratio R]   our gRPC client stack's CPU per call vs bare grpc-js
#
# e2e (not part of "all") starts a platform of its own (four contexts + gateway) on the stack and
# measures REST operations' throughput, latency and CPU per process against a raw LWT.
#
# paxos (v1, v2) and commitlog (periodic, group, batch) run append once per value of
# that Cassandra setting, each on its own throwaway Cassandra: benchmarks/cassandraVariants.sh.
# catchup and visibility read the peak append rate of the last append run
# (benchmarks/results/append-latest.json) unless --peak-append / --rate is given.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

deploy/local/stack status >/dev/null 2>&1 || deploy/local/stack up
export_stack_logins
turbo run build --output-logs=errors-only >/dev/null


run() {
  local name="$1"; shift
  echo "===== benchmark: $name ($(date -Is)) ====="
  case "$name" in
    append) node benchmarks/dist/append.js "$@" ;;
    paxos) bash benchmarks/cassandraVariants.sh paxos v1,v2 "$@" ;;
    commitlog) bash benchmarks/cassandraVariants.sh commitlog periodic,group,batch "$@" ;;
    catchup) node benchmarks/dist/projectorCatchUp.js "$@" ;;
    visibility) node benchmarks/dist/visibilityLag.js "$@" ;;
    e2e) node benchmarks/dist/e2e.js "$@" ;;
    spans-off) node benchmarks/dist/spansOff.js "$@" ;;
    marker-probe) node benchmarks/dist/pendingMarkerProbe.js "$@" ;;
    gateway-edge) node benchmarks/gatewayEdge/bench.mjs "$@" ;;
    nats-publish) node benchmarks/dist/natsPublish.js "$@" ;;
    grpc-client) node benchmarks/dist/grpcClientCost.js "$@" ;;
    *) echo "unknown benchmark: $name (append, paxos, commitlog, catchup, visibility, e2e, spans-off, marker-probe, gateway-edge, nats-publish, grpc-client, all)" >&2; return 2 ;;
  esac
}

if [[ "${1:-all}" == all ]]; then
  for name in append paxos commitlog catchup visibility; do run "$name"; done
else
  run "$@"
fi
