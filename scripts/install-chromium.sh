#!/usr/bin/env bash
# Installs Debian's chromium for the console's browser tests (playwright-core drives it; the
# Playwright browser download is not reachable here). Idempotent: nothing happens when it is there.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [[ "$(id -u)" != 0 ]]; then
  echo "chromium is missing and installing it needs root: apt-get install -y chromium" >&2
  exit 1
fi
echo "==> installing chromium (Debian package, for the console's browser tests)"
export DEBIAN_FRONTEND=noninteractive
# The package lists may be absent or old on a fresh machine.
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
command -v chromium >/dev/null
