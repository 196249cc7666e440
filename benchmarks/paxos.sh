#!/usr/bin/env bash
# Benchmark 2: raw and our append at one concurrency under paxos_variant v1 and v2.
# The shared dev Cassandra (9042) is not touched: each variant gets its own throwaway
# Cassandra (own state dir and ports, same fresh state), started, measured, stopped, wiped —
# one at a time (≈1.5 GB each). NATS is the shared one (the reliable path publishes to it).
#
#   bash benchmarks/paxos.sh [--runs 2] [append.js options, default --concurrency 32]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

runs=2
if [[ "${1:-}" == --runs ]]; then runs="$2"; shift 2; fi
args=("$@")
[[ ${#args[@]} -gt 0 ]] || args=(--concurrency 32)

export CASSANDRA_PORT=29042 CASSANDRA_STORAGE_PORT=27000 CASSANDRA_JMX_PORT=27199
current=""
teardown() {
  [[ -n "$current" ]] || return 0
  BAZAAR_STATE_DIR="$current" deploy/local/stack down cassandra || true
  rm -rf "$current"
  current=""
}
trap teardown EXIT

for variant in v1 v2; do
  current="$PWD/.local/bench-paxos-$variant"
  rm -rf "$current"; mkdir -p "$current"
  ln -s "$PWD/.local/cache" "$current/cache"   # reuse the downloaded Cassandra, nothing else
  echo "== paxos_variant=$variant: throwaway Cassandra on 127.0.0.1:$CASSANDRA_PORT, state $current"
  BAZAAR_STATE_DIR="$current" CASSANDRA_PAXOS_VARIANT="$variant" deploy/local/stack up cassandra
  node benchmarks/dist/paxosSetting.js
  for run in $(seq 1 "$runs"); do
    node benchmarks/dist/append.js --label "paxos-$variant-run$run" "${args[@]}"
  done
  teardown
done
node benchmarks/dist/paxosReport.js --runs "$runs"
