# shellcheck shell=bash
# Sourced (as BASH_ENV) by the README walkthrough test before the README's block runs. Every curl
# of the block comes here: the call is recorded under $WALKTHROUGH_CALLS (the script line it was
# made from, status, body) and its body handed on as curl would, so `| jq -r .id` still works.
# A directory per call, because calls inside $(…) run in subshells that share no variables.
curl() {
  local call rc=0
  call="$(mktemp -d "$WALKTHROUGH_CALLS/call.XXXXXX")"
  # BASH_LINENO[0]: the line of the block this curl was called from (within its command's lines).
  printf '%s' "${BASH_LINENO[0]}" >"$call/line"
  command curl "$@" -o "$call/body" -w '%{response_code}' >"$call/status" || rc=$?
  printf '%s' "$rc" >"$call/exit"
  [[ -f "$call/body" ]] && cat "$call/body"
  return "$rc"
}
