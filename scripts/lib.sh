# Shared by scripts/*.sh: install dependencies and build, each only when needed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# npm puts node_modules/.bin first when it runs a script; be explicit for direct calls, so the
# project's Node 24 (npm package `node`) runs everything, whatever Node the machine has.
export PATH="$ROOT/node_modules/.bin:$PATH"
# check_prerequisites start|test|doctor: what must be installed, checked before anything is fetched.
source "$ROOT/scripts/prerequisites.sh"

# npm ci when package-lock.json changed since the last install (or node_modules is missing).
ensure_deps() {
  local stamp="node_modules/.bazaar-lock-stamp"
  if [[ -f "$stamp" ]] && cmp -s package-lock.json "$stamp"; then return 0; fi
  echo "==> installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
}

build() {
  echo "==> building (turbo, cached)"
  turbo run build --output-logs=errors-only
}
