# shellcheck shell=bash
# Shared helpers for deploy/local/stack: paths, logging, pid files, detached
# start, graceful stop and health waiting. Sourced, never executed.
#
# Every server module (cassandra.sh, elasticsearch.sh, nats.sh) implements the
# same small set of functions, named <server>_<verb>:
#   _fetched   exit 0 if the cached binaries for the pinned version are present
#   _fetch     download/build into $CACHE_DIR (idempotent)
#   _prepare   create data/log dirs and (re)generate config files
#   _launch_cmd  fill LAUNCH_CMD (+ LAUNCH_ENV, LAUNCH_CWD, LAUNCH_TIMER_SLACK_NS) with the
#              foreground server command; start_detached runs it
#   _probe     one health probe; on failure sets PROBE_ERR and returns 1, or 2 when
#              waiting cannot help (a missing dependency): the wait fails at once
#   _endpoint  human-readable URL/port line
#   _version   human-readable version / runtime line
# and sets <SERVER>_HEALTH_TIMEOUT / <SERVER>_STOP_TIMEOUT.

# --- paths -----------------------------------------------------------------
# Repo root = two levels above deploy/local. Not `git rev-parse`, so the
# scripts also work from an exported tree without .git.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
STATE_DIR="${BAZAAR_STATE_DIR:-$REPO_ROOT/.local}"
# Resolve to an absolute path: it ends up in generated configs and is used to
# recognise our own processes (see is_running).
mkdir -p "$STATE_DIR"
STATE_DIR="$(cd "$STATE_DIR" && pwd)"
# Downloads and builds are shared by every checkout on the machine (a second clone, CI's fresh
# clone) so they are fetched once; data, logs and pids stay with the checkout.
CACHE_DIR="${BAZAAR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bazaar}"
mkdir -p "$CACHE_DIR"
DATA_DIR="$STATE_DIR/data"
LOG_DIR="$STATE_DIR/logs"
RUN_DIR="$STATE_DIR/run"
# Secrets the stack generates (the Cassandra admin's password): kept by `stack wipe`.
SECRETS_DIR="$STATE_DIR/secrets"
# Cluster mode (`--nodes 3`, lib/cluster.sh): every node's data, log and pid file live apart
# from the single-node stack's, which keeps running beside it.
CLUSTER_DIR="$STATE_DIR/cluster"

SERVERS=(cassandra elasticsearch nats jaeger)
# Servers the platform runs without (lib/jaeger.sh: tracing): a failed build of one warns and
# `stack up` starts the others; `stack status` does not fail for one that was never built.
is_optional() { [[ "$1" == jaeger ]]; }

# --- output ------------------------------------------------------------------
info() { printf '%s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

# Seconds since epoch with microseconds (bash 5 builtin; no fork).
now() { printf '%s' "$EPOCHREALTIME"; }
# elapsed START -> "12.3s"
elapsed() { awk -v s="$1" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.1fs", e - s }'; }

# Long steps (a first fetch, a NATS build: minutes, with Maven and go quiet) print a line every
# PROGRESS_EVERY seconds, so they are not taken for a hang. start_ticker LABEL prints
# "  ... LABEL (Ns)" until stop_ticker; it also stops when this script exits (a die mid-fetch).
PROGRESS_EVERY="${PROGRESS_EVERY:-15}"
TICKER_PID=""
start_ticker() {
  local label="$1" t0="$EPOCHSECONDS" parent="$$"
  ( while sleep "$PROGRESS_EVERY" && kill -0 "$parent" 2>/dev/null; do
      printf '  ... %s (%ss)\n' "$label" "$((EPOCHSECONDS - t0))"
    done ) &
  TICKER_PID=$!
}
stop_ticker() {
  [[ -n "$TICKER_PID" ]] || return 0
  kill "$TICKER_PID" 2>/dev/null || true
  wait "$TICKER_PID" 2>/dev/null || true
  TICKER_PID=""
}

# Canonical server name; accepts a few aliases, and cluster nodes as <server>-<n> (cass-2 too).
canon_server() {
  case "$1" in
    cassandra|cass) echo cassandra ;;
    elasticsearch|es|elastic) echo elasticsearch ;;
    nats) echo nats ;;
    jaeger) echo jaeger ;;
    cassandra-[1-9]|cass-[1-9]) echo "cassandra-${1##*-}" ;;
    nats-[1-9]) echo "$1" ;;
    *) die "unknown server '$1' (expected one of: ${SERVERS[*]})" ;;
  esac
}

is_node() { [[ "$1" == *-[1-9] ]]; }
# The name of a per-server setting: CASSANDRA_HEALTH_TIMEOUT for cassandra and cassandra-2 alike.
server_var() { local base="${1%-[1-9]}"; echo "${base^^}_$2"; }

log_file() { if is_node "$1"; then echo "$CLUSTER_DIR/logs/$1.log"; else echo "$LOG_DIR/$1.log"; fi; }
pid_file() { if is_node "$1"; then echo "$CLUSTER_DIR/run/$1.pid"; else echo "$RUN_DIR/$1.pid"; fi; }

# --- process state -----------------------------------------------------------
# Prints the pid if the server is running, returns 1 otherwise.
# A pid file whose process is gone, or whose pid was recycled by an unrelated
# process, counts as stopped (and is removed). Our processes are recognised by
# $STATE_DIR appearing in their command line: every launch passes a config or
# install path under it. A live process's command line can read empty, or as a
# launcher's, for a moment while it execs (env -> setsid -> the server), so a
# mismatch is looked at again for up to a second before the pid file goes: a
# server taken for dead while it starts would be started a second time.
# A killed process its parent has not reaped yet (a zombie) is dead at once.
server_pid() {
  local pf pid tries=0
  pf="$(pid_file "$1")"
  [[ -s "$pf" ]] || return 1
  pid="$(<"$pf")"
  while [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && ! is_zombie "$pid"; do
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$STATE_DIR"; then
      echo "$pid"
      return 0
    fi
    (( ++tries > 20 )) && break
    sleep 0.05
  done
  rm -f "$pf"
  return 1
}
# The state follows the command name, which is in parentheses and may hold spaces.
is_zombie() { local stat; { stat="$(<"/proc/$1/stat")"; } 2>/dev/null || return 1; [[ "${stat##*) }" == Z* ]]; }
is_running() { server_pid "$1" >/dev/null; }

# tcp_open [HOST:]PORT -> 0 if something accepts connections there (host default 127.0.0.1)
tcp_open() {
  local host=127.0.0.1 port="$1"
  [[ "$1" == *:* ]] && { host="${1%:*}"; port="${1##*:}"; }
  timeout 2 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null
}

# Refuse to start when a port we need is already taken by someone else, so the
# failure is "port busy" instead of an obscure bind error 60 s later.
check_ports_free() {
  local server="$1" port; shift
  for port in "$@"; do
    [[ "$port" == *:* ]] || port="127.0.0.1:$port"
    if tcp_open "$port"; then
      die "$server: $port is already in use by another process (override the port via env)"
    fi
  done
}

# start_detached SERVER: runs the command that <server>_launch_cmd put into
# LAUNCH_CMD (with extra environment LAUNCH_ENV, working dir LAUNCH_CWD) in a
# new session (setsid), so it survives the calling shell and we can signal its
# whole process group. stdin from /dev/null, stdout+stderr appended to the
# server's log file.
start_detached() {
  local server="$1" lf pf
  lf="$(log_file "$server")"; pf="$(pid_file "$server")"
  mkdir -p "$(dirname "$lf")" "$(dirname "$pf")"
  LAUNCH_CMD=(); LAUNCH_ENV=(); LAUNCH_CWD="$STATE_DIR"; LAUNCH_TIMER_SLACK_NS=""
  "${server}_launch_cmd"
  printf '\n===== %s: starting %s =====\n%s\n' "$(date -Is)" "$server" "${LAUNCH_CMD[*]}" >>"$lf"
  # In a non-interactive shell a background subshell is not a process-group
  # leader, so setsid does not fork again: after the execs, $! is the server's
  # own pid, and it is also the id of its new process group.
  # Databases want many file descriptors (ES warns below 65535); as root we can
  # raise the hard limit, otherwise take what we get.
  # LAUNCH_TIMER_SLACK_NS: how late the kernel may wake the server's timed sleeps (its threads
  # inherit it from this subshell through the execs; see cassandra.sh for why one wants it).
  ( ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    [[ -z "$LAUNCH_TIMER_SLACK_NS" ]] || echo "$LAUNCH_TIMER_SLACK_NS" >/proc/self/timerslack_ns \
      || warn "$server: could not set a timer slack of $LAUNCH_TIMER_SLACK_NS ns; running with the kernel's default"
    cd "$LAUNCH_CWD" && exec env "${LAUNCH_ENV[@]}" setsid "${LAUNCH_CMD[@]}" ) \
    </dev/null >>"$lf" 2>&1 &
  local pid=$! tries=0
  echo "$pid" >"$pf"
  LAUNCHED[$server]="$pid"
  # Until the exec chain reaches the server, its command line is still this
  # script's, and server_pid would take it for a dead server and drop the pid
  # file: wait (bounded) for the server's own command line, or its exit.
  while kill -0 "$pid" 2>/dev/null && ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$STATE_DIR"; do
    (( ++tries > 100 )) && break
    sleep 0.05
  done
}

# stop_server SERVER: SIGTERM to the process group, wait, then SIGKILL.
stop_server() {
  local server="$1" pid timeout_var timeout waited=0 t0
  if ! pid="$(server_pid "$server")"; then
    info "$server: already stopped"
    return 0
  fi
  timeout_var="$(server_var "$server" STOP_TIMEOUT)"; timeout="${!timeout_var:-60}"
  t0="$(now)"
  # Negative pid = whole group: reaches e.g. the ES server JVM as well as its
  # launcher, and nothing outside the session we created.
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null || pgrep -g "$pid" >/dev/null 2>&1; do
    if (( waited >= timeout * 5 )); then
      warn "$server: still alive after ${timeout}s, sending SIGKILL"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2; waited=$((waited + 1))
  done
  rm -f "$(pid_file "$server")"
  info "$(printf '%-14s stopped (pid %s) in %s' "$server" "$pid" "$(elapsed "$t0")")"
}

# wait_healthy SERVER...: poll every server's <server>_probe about once a
# second, all in the same loop (they boot in parallel, so each one's "healthy
# after" time is measured from its own start, not after the previous one).
# A server fails when its process dies or <SERVER>_HEALTH_TIMEOUT expires;
# then we say why and show the end of its log. Reads T_START[server] (start
# time; unset = was already running) and fills HEALTHY_AT[server].
# Returns 1 if any server failed.
# A server this script launched (LAUNCHED) that exits while starting is started again, up to
# STARTUP_RESTARTS times, as a supervisor would (systemd, a Kubernetes pod): a warning names how it
# ended and shows its log, so a rare crash in a store's recovery is visible, not hidden.
STARTUP_RESTARTS="${STARTUP_RESTARTS:-1}"
declare -A T_START=() HEALTHY_AT=() LAUNCHED=()

# exit_status SERVER: how the process this script launched for SERVER ended ("killed by SIGKILL",
# "exit status 1"); bash keeps a finished child's status for `wait`.
exit_status() {
  local pid="${LAUNCHED[$1]:-}" status=0
  [[ -n "$pid" ]] || { echo "not started by this command"; return; }
  wait "$pid" 2>/dev/null || status=$?
  if (( status > 128 && status < 127 + 65 )); then echo "killed by SIG$(kill -l $((status - 128)))"
  elif (( status == 127 )); then echo "status unknown"
  else echo "exit status $status"; fi
}

wait_healthy() {
  local -a pending=("$@") still
  local -A deadline=() last_err=() restarts=()
  local s timeout_var reason rc=0 probe_rc
  for s in "${pending[@]}"; do
    restarts[$s]="$STARTUP_RESTARTS"
    timeout_var="$(server_var "$s" HEALTH_TIMEOUT)"
    deadline[$s]=$(( EPOCHSECONDS + ${!timeout_var} ))
    last_err[$s]="not probed yet"
  done
  local waited_since="$EPOCHSECONDS" next_report=$(( EPOCHSECONDS + PROGRESS_EVERY ))
  while (( ${#pending[@]} )); do
    if (( EPOCHSECONDS >= next_report )); then
      for s in "${pending[@]}"; do
        info "  ... waiting for $s to be healthy ($((EPOCHSECONDS - waited_since))s: ${last_err[$s]})"
      done
      next_report=$(( EPOCHSECONDS + PROGRESS_EVERY ))
    fi
    still=()
    for s in "${pending[@]}"; do
      reason=""
      PROBE_ERR=""
      if ! is_running "$s"; then
        reason="process exited during startup ($(exit_status "$s"))"
        if [[ -n "${LAUNCHED[$s]:-}" ]] && (( restarts[$s] > 0 )); then
          restarts[$s]=$(( restarts[$s] - 1 ))
          warn "$s: $reason; starting it again. Last 30 lines of $(log_file "$s"):"
          tail -n 30 "$(log_file "$s")" >&2 2>/dev/null || true
          T_START[$s]="$(now)"
          start_detached "$s"
          still+=("$s")
          continue
        fi
      elif probe_rc=0 && { "${s}_probe" || probe_rc=$?; } && (( probe_rc == 0 )); then
        HEALTHY_AT[$s]="$(now)"
        continue
      else
        last_err[$s]="$PROBE_ERR"
        if (( probe_rc == 2 )); then
          reason="its probe cannot succeed as things are, waiting would not help"
        elif (( EPOCHSECONDS >= deadline[$s] )); then
          timeout_var="$(server_var "$s" HEALTH_TIMEOUT)"
          reason="not healthy after ${!timeout_var}s (raise ${timeout_var})"
        fi
      fi
      if [[ -n "$reason" ]]; then
        rc=1
        {
          echo "error: $s failed to become healthy: $reason"
          echo "       last probe error: ${last_err[$s]}"
          echo "       log file: $(log_file "$s")"
          echo "------ last 30 lines of $(log_file "$s") ------"
          tail -n 30 "$(log_file "$s")" 2>/dev/null || true
          echo "------"
        } >&2
        continue
      fi
      still+=("$s")
    done
    pending=("${still[@]}")
    (( ${#pending[@]} )) && sleep 1
  done
  return $rc
}

# --- fetch helpers -------------------------------------------------------------
# Maven and Go keep their download caches under $CACHE_DIR too, so the stack
# is self-contained (`wipe --all` really starts from zero) and does not depend
# on, or pollute, ~/.m2 or ~/go. Override with BAZAAR_M2_REPO if you want to
# share an existing Maven repository.
M2_REPO="${BAZAAR_M2_REPO:-$CACHE_DIR/m2}"
mvn_run() {
  command -v mvn >/dev/null || die "mvn not found (needed to fetch Cassandra/Elasticsearch from Maven Central)"
  # Maven 3.8's jansi still emits bare colour resets in -q/-B mode; strip
  # them (pipefail keeps mvn's exit status).
  mvn -B -q -ntp -Dstyle.color=never -Dmaven.repo.local="$M2_REPO" "$@" 2>&1 \
    | sed 's/\x1b\[[0-9;]*m//g'
}

# Stamp files mark a completed fetch: they are written last, so an interrupted
# fetch is simply redone next time.
stamp_ok()    { [[ -f "$1" && "$(<"$1")" == "$2" ]]; }
stamp_write() { printf '%s' "$2" >"$1"; }
