#!/usr/bin/env bash
# Benchmark 2: raw and our append (append.js) under each value of one Cassandra setting,
# in the same run: paxos_variant (v1, v2) or commitlog_sync (periodic, group, batch).
# The shared dev Cassandra (9042) is not touched: each value gets its own throwaway Cassandra
# (own state dir and ports, same fresh state), started, measured, stopped, wiped — one at a
# time (≈1.5 GB each). NATS is the shared one (the reliable path publishes to it).
#
#   bash benchmarks/cassandraVariants.sh paxos v1,v2 [--runs 2] [append.js options, default --concurrency 32]
#   bash benchmarks/cassandraVariants.sh commitlog periodic,group,batch [--runs 2] [append.js options]
#
# group uses CASSANDRA_COMMITLOG_GROUP_WINDOW (default 10ms, deploy/local/lib/cassandra.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

usage() { echo "usage: bash benchmarks/cassandraVariants.sh <paxos|commitlog> <value,value,...> [--runs N] [append.js options]" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
setting="$1"; values="$2"; shift 2
case "$setting" in
  paxos) env_var=CASSANDRA_PAXOS_VARIANT; allowed=(v1 v2) ;;
  commitlog) env_var=CASSANDRA_COMMITLOG_SYNC; allowed=(periodic group batch) ;;
  *) echo "unknown setting '$setting' (paxos, commitlog)" >&2; usage ;;
esac
IFS=, read -r -a list <<<"$values"
for value in "${list[@]}"; do
  [[ " ${allowed[*]} " == *" $value "* ]] || { echo "$setting: unknown value '$value' (${allowed[*]})" >&2; exit 2; }
done

runs=2
args=()
while [[ $# -gt 0 ]]; do
  if [[ "$1" == --runs ]]; then runs="$2"; shift 2; else args+=("$1"); shift; fi
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "--runs: expected a positive integer, got '$runs'" >&2; exit 2; }
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

for value in "${list[@]}"; do
  # The download cache is per machine (BAZAAR_CACHE_DIR), so a fresh state dir fetches nothing.
  current="$PWD/.local/bench-$setting-$value"
  rm -rf "$current"; mkdir -p "$current"
  echo "== $env_var=$value: throwaway Cassandra on 127.0.0.1:$CASSANDRA_PORT, state $current"
  BAZAAR_STATE_DIR="$current" env "$env_var=$value" deploy/local/stack up cassandra
  # paxos only: also shows that the variant cannot be switched at runtime through CQL.
  if [[ "$setting" == paxos ]]; then node benchmarks/dist/paxosSetting.js; fi
  for run in $(seq 1 "$runs"); do
    node benchmarks/dist/append.js --label "$setting-$value-run$run" "${args[@]}"
  done
  teardown
done
node benchmarks/dist/variantsReport.js --setting "$setting" --values "$values" --runs "$runs"
