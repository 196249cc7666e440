#!/usr/bin/env bash
# `npm run loadtest -- <scenario> [--rate N] [--duration 30s] [-e K=V]…`: runs one k6 script of
# loadtests/scenarios with the bundled runner (no k6 needed); `npm run loadtest -- report` runs
# them all against the platform and writes docs/loadtests/REPORT.md.
source "$(dirname "$0")/lib.sh"

ensure_deps
build >/dev/null
export_stack_logins
exec node loadtests/dist/main.js "$@"
