#!/usr/bin/env bash
# `npm run doctor`: the prerequisite checks `npm start` and `npm test` run, every line shown, then
# the health of the local stack and of the platform, if they are running. Not running is reported,
# not an error; exit 1 for a missing prerequisite or a running server that is unhealthy.
set -uo pipefail
source "$(dirname "$0")/prerequisites.sh"

status=0
echo "prerequisites"
check_prerequisites doctor --verbose || status=1

echo
echo "local stack (deploy/local/stack status)"
stack_report="$("$PREREQ_ROOT/deploy/local/stack" status 2>&1)"
sed 's/^/  /' <<<"$stack_report"
grep -q UNHEALTHY <<<"$stack_report" && status=1
grep -q ' stopped ' <<<"$stack_report" && echo "  (stopped servers: 'npm start' or 'npm test' brings them up)"

echo
gateway="http://127.0.0.1:${GATEWAY_PORT:-8080}"
echo "platform (gateway $gateway/readyz)"
if ! readyz="$(curl -sS --max-time 5 -w '\n%{http_code}' "$gateway/readyz" 2>&1)"; then
  echo "  not running (start it with 'npm start')"
else
  code="${readyz##*$'\n'}"
  echo "  HTTP $code: ${readyz%$'\n'*}"
  [[ "$code" == 200 ]] || status=1
fi
exit "$status"
