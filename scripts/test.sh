#!/usr/bin/env bash
# `npm test`: installs, builds, brings the local stack up if it is not, and runs every tier
# (unit, integration, end-to-end) against the real servers. Extra arguments go to vitest.
source "$(dirname "$0")/lib.sh"

echo "==> checking prerequisites (all of them: npm run doctor)"
check_prerequisites test || exit 1
ensure_deps
build
echo "==> lint (eslint, prettier, buf) and type-check the tests (vitest only strips their types)"
eslint . && npm run -s format:check && (cd proto && buf lint) && tsc -p tsconfig.tests.json
deploy/local/stack up
export_stack_logins
# The Helm chart's tests (test/e2e/helmChart, helmApiserver) use helm, kubernetes-validate, etcd and
# kube-apiserver, built once per machine (the first kube-apiserver build takes ~15 minutes here).
echo "==> Kubernetes validation tools (deploy/k8s/tools, cached)"
deploy/k8s/tools >/dev/null
# test/e2e/console.e2e.test.ts drives Debian's chromium with playwright-core (installed once per machine).
bash scripts/install-chromium.sh
# test/e2e/cluster.e2e.test.ts starts its own 3+3-node cluster (about 3.2 GB more, ~4 minutes).
echo "==> cluster mode test: ${BAZAAR_CLUSTER_TESTS:-on} (BAZAAR_CLUSTER_TESTS=off skips it)"

results="${BAZAAR_STATE_DIR:-$ROOT/.local}/test-results.json"
mkdir -p "$(dirname "$results")"
status=0
vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@" || status=$?
# One plain closing line that any CI can read.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' "$results" || true
exit "$status"
