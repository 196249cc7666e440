# shellcheck shell=bash
# What this machine must have before `npm start` / `npm test` fetch or start anything, and what
# `npm run doctor` reports. Sourced by scripts/lib.sh; plain bash, because it runs before `npm ci`
# has brought the project's Node. For each missing tool: what it is for and the Debian/Ubuntu
# command that installs it. Paths, versions and ports come from deploy/local/lib (sourced below),
# so these checks look where the stack will look.

PREREQ_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../deploy/local/lib/common.sh
source "$PREREQ_ROOT/deploy/local/lib/common.sh"
# shellcheck source=../deploy/local/lib/cassandra.sh
source "$PREREQ_ROOT/deploy/local/lib/cassandra.sh"
# shellcheck source=../deploy/local/lib/elasticsearch.sh
source "$PREREQ_ROOT/deploy/local/lib/elasticsearch.sh"
# shellcheck source=../deploy/local/lib/nats.sh
source "$PREREQ_ROOT/deploy/local/lib/nats.sh"
# shellcheck source=../deploy/local/lib/jaeger.sh
source "$PREREQ_ROOT/deploy/local/lib/jaeger.sh"

# Downloads (~0.7 GB), Cassandra's commit log and data, ES indices, NATS file store: below this
# a first run fails half-way with a full disk.
PREREQ_MIN_FREE_GB=4
# What Elasticsearch's production bootstrap check asks for; single-node dev mode only warns.
PREREQ_ES_MAP_COUNT=262144

PREREQ_FAILED=0
PREREQ_VERBOSE=false

prereq_ok()   { $PREREQ_VERBOSE && printf '  ok    %-22s %s\n' "$1" "$2"; return 0; }
prereq_warn() { printf '  warn  %-22s %s\n' "$1" "$2"; shift 2; local l; for l in "$@"; do printf '        %-22s %s\n' "" "$l"; done; }
# prereq_fail NAME PROBLEM FOR INSTALL...: a missing prerequisite, what it is for, how to install it.
prereq_fail() {
  PREREQ_FAILED=$((PREREQ_FAILED + 1))
  printf '  MISS  %-22s %s\n' "$1" "$2"
  printf '        %-22s for: %s\n' "" "$3"
  shift 3
  local l; for l in "$@"; do printf '        %-22s %s\n' "" "$l"; done
}

# java_major JAVA_BIN -> 17, 25, ... (empty if it does not run)
java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1; }
# other_jdks MIN MAX: JDK homes under /usr/lib/jvm whose major version is in [MIN, MAX].
other_jdks() {
  local home major
  for home in /usr/lib/jvm/*/; do
    home="${home%/}"; [[ -x "$home/bin/java" && ! -L "$home" ]] || continue
    major="$(java_major "$home/bin/java")"
    [[ -n "$major" ]] && (( major >= $1 && major <= $2 )) && echo "$home"
  done
}
# version_at_least HAVE WANT (dotted numbers)
version_at_least() { [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]; }

check_node() {
  local node npm
  if ! node="$(node -v 2>/dev/null)"; then
    prereq_fail "Node.js >= 20" "not found" "running npm, which installs everything else (the project then runs Node 24 from the npm package 'node')" \
      "install: Debian 13: apt-get install nodejs npm; Debian 12 / Ubuntu: curl -fsSL https://deb.nodesource.com/setup_22.x | bash - && apt-get install -y nodejs"
    return
  fi
  if ! version_at_least "${node#v}" 20; then
    prereq_fail "Node.js >= 20" "found $node" "running npm ci (the project then runs Node 24 from the npm package 'node')" \
      "install: curl -fsSL https://deb.nodesource.com/setup_22.x | bash - && apt-get install -y nodejs"
  else
    local project=""
    [[ -x "$PREREQ_ROOT/node_modules/.bin/node" ]] && project=", the project runs $("$PREREQ_ROOT/node_modules/.bin/node" -v) from node_modules"
    prereq_ok "Node.js >= 20" "$node ($(command -v node))$project"
  fi
  if ! npm="$(npm -v 2>/dev/null)"; then
    prereq_fail "npm >= 10" "not found" "npm ci and the npm scripts" "install: apt-get install npm (or Node.js from NodeSource, which includes npm)"
  elif ! version_at_least "$npm" 10; then
    prereq_fail "npm >= 10" "found $npm" "npm ci with this lockfile and workspaces" "install: npm install -g npm@11"
  else
    prereq_ok "npm >= 10" "$npm"
  fi
}

check_jdk17() {
  local major found
  major="$(java_major "$CASSANDRA_JAVA_HOME/bin/java" 2>/dev/null)"
  if [[ "$major" == 17 ]]; then prereq_ok "JDK 17" "$CASSANDRA_JAVA_HOME"; return; fi
  found="$(other_jdks 17 17 | head -n1)"
  prereq_fail "JDK 17" "${major:+JDK $major }not at $CASSANDRA_JAVA_HOME (CASSANDRA_JAVA_HOME)" "running Cassandra 5.0" \
    "${found:+use the one found: export CASSANDRA_JAVA_HOME=$found}" \
    "install: apt-get install openjdk-17-jre-headless"
}

check_jdk_es() {
  local want=21 major found
  [[ "$ES_VERSION" == 8.* ]] && want=17
  major="$(java_major "$ES_JAVA_HOME/bin/java" 2>/dev/null)"
  if [[ -n "$major" ]] && (( major >= want )); then prereq_ok "JDK >= $want" "JDK $major at $ES_JAVA_HOME"; return; fi
  found="$(other_jdks "$want" 99 | head -n1)"
  prereq_fail "JDK >= $want" "${major:+JDK $major }not at $ES_JAVA_HOME (ES_JAVA_HOME)" "running Elasticsearch $ES_VERSION" \
    "${found:+use the one found: export ES_JAVA_HOME=$found}" \
    "install: Debian 13 / Ubuntu 24.04: apt-get install openjdk-21-jre-headless, then export ES_JAVA_HOME=/usr/lib/jvm/java-21-openjdk-amd64" \
    "         Debian 12: Temurin from Adoptium's apt repository (https://adoptium.net/installation/linux): apt-get install temurin-25-jdk"
}

# A fetch tool is a prerequisite while its download is not cached; once cached, its absence is
# only a warning (needed again after `stack wipe --all` or a version bump).
check_fetch_tool() {
  local name="$1" present="$2" detail="$3" needed="$4" for="$5" install="$6"
  if $present; then prereq_ok "$name" "$detail"
  elif $needed; then prereq_fail "$name" "$detail" "$for" "install: $install"
  else prereq_warn "$name" "$detail; not needed now (already in $CACHE_DIR), again after 'stack wipe --all'" "for: $for" "install: $install"
  fi
}

check_fetch_tools() {
  local mvn_needed=false es_needed=false nats_needed=false v
  cassandra_fetched || mvn_needed=true
  elasticsearch_fetched || { mvn_needed=true; es_needed=true; }
  nats_fetched || nats_needed=true
  if v="$(mvn -v 2>/dev/null | sed -n 's/.*Apache Maven \([0-9.]*\).*/\1/p' | head -n1)" && [[ -n "$v" ]]; then
    check_fetch_tool Maven true "$v" "$mvn_needed" "" ""
  else
    check_fetch_tool Maven false "not found" "$mvn_needed" \
      "fetching Cassandra (cassandra-all and its dependencies) and the Elasticsearch zip from Maven Central" "apt-get install maven"
  fi
  if command -v unzip >/dev/null; then check_fetch_tool unzip true "$(command -v unzip)" "$es_needed" "" ""
  else check_fetch_tool unzip false "not found" "$es_needed" "unpacking the Elasticsearch zip" "apt-get install unzip"; fi
  local go_install="Debian 13 / Ubuntu 25.04: apt-get install golang-go; Debian 12: the tarball from https://go.dev/dl (tar -C /usr/local -xzf go1.24.*.linux-amd64.tar.gz; PATH=/usr/local/go/bin:\$PATH)"
  local go_for="building nats-server $NATS_VERSION (go install through the Go module proxy)"
  if v="$(go version 2>/dev/null | sed -n 's/.* go\([0-9.]*\).*/\1/p')" && [[ -n "$v" ]]; then
    if version_at_least "$v" 1.24; then check_fetch_tool "Go >= 1.24" true "$v" "$nats_needed" "" ""
    else check_fetch_tool "Go >= 1.24" false "found $v" "$nats_needed" "$go_for" "$go_install"; fi
  else
    check_fetch_tool "Go >= 1.24" false "not found" "$nats_needed" "$go_for" "$go_install"
  fi
  # Jaeger is optional (the stack starts without it), so Go missing for its build only warns.
  if ! jaeger_fetched && ! $nats_needed && ! version_at_least "${v:-0}" 1.24; then
    prereq_warn "Go >= 1.24" "${v:-not found}: Jaeger $JAEGER_VERSION is not built, so the stack runs without traces" \
      "for: building jaeger (go build through the Go module proxy)" "install: $go_install"
  fi
}

check_tools() {
  if command -v curl >/dev/null; then prereq_ok curl "$(command -v curl)"
  else prereq_fail curl "not found" "the stack's health probes (Elasticsearch, NATS) and the README walkthrough" "install: apt-get install curl"; fi
  if command -v jq >/dev/null; then prereq_ok jq "$(command -v jq)"
  else prereq_warn jq "not found: only the README's curl walkthrough uses it" "install: apt-get install jq"; fi
}

check_root() {
  if [[ $EUID -eq 0 ]]; then prereq_ok "root" "yes (Elasticsearch runs as the system user $ES_USER)"; return; fi
  if is_running elasticsearch; then prereq_ok "root" "not root; not needed while Elasticsearch runs"; return; fi
  prereq_fail "root" "running as $(id -un)" \
    "Elasticsearch refuses to run as root, so the stack creates the system user $ES_USER and starts it as that user (useradd, chown, setpriv)" \
    "run as root, e.g.: sudo -E env PATH=\"\$PATH\" npm start"
}

# port_owner PORT -> pid of the listener, if ss can tell.
port_owner() { ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n1; }
# ours PID: a process of this checkout (its command line or working directory names it).
ours() {
  [[ -n "$1" ]] || return 1
  tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF "$PREREQ_ROOT" && return 0
  [[ "$(readlink "/proc/$1/cwd" 2>/dev/null)" == "$PREREQ_ROOT" ]]
}

# check_ports MODE: the stack's ports (those of its servers not running yet) and, for start and
# doctor, the platform's (gateway, contexts' gRPC and metrics) unless this checkout's own
# processes hold them.
check_ports() {
  local s port pid busy=()
  for s in "${SERVERS[@]}"; do
    is_running "$s" && continue
    for port in $("${s}_ports"); do tcp_open "$port" && busy+=("$port ($s)"); done
  done
  if [[ "$1" != test ]]; then
    local -A platform=(
      [gateway]="${GATEWAY_PORT:-8080}"
      [catalog]="${CATALOG_GRPC_PORT:-50051} ${CATALOG_METRICS_PORT:-9464}"
      [inventory]="${INVENTORY_GRPC_PORT:-50052} ${INVENTORY_METRICS_PORT:-9465}"
      [ordering]="${ORDERING_GRPC_PORT:-50053} ${ORDERING_METRICS_PORT:-9466}"
      [customer]="${CUSTOMER_GRPC_PORT:-50054} ${CUSTOMER_METRICS_PORT:-9467}"
    )
    for s in "${!platform[@]}"; do
      for port in ${platform[$s]}; do
        tcp_open "$port" || continue
        pid="$(port_owner "$port")"
        if ours "$pid"; then [[ "$1" == doctor ]] || busy+=("$port ($s: this checkout's platform is already running, pid $pid)")
        else busy+=("$port ($s${pid:+, pid $pid})"); fi
      done
    done
  fi
  if (( ${#busy[@]} == 0 )); then
    local which="stack"; [[ "$1" == test ]] || which="stack and platform"
    prereq_ok "free ports" "$which ports free or held by our own servers"; return; fi
  prereq_fail "free ports" "in use by another process: ${busy[*]}" "the local servers and the platform, which bind 127.0.0.1" \
    "stop that process, or move ours with the port variables (README, Ports)"
}

check_disk() {
  local dir free
  for dir in "$CACHE_DIR" "$STATE_DIR"; do
    free="$(df -Pk "$dir" 2>/dev/null | awk 'NR==2 { printf "%d", $4 / 1048576 }')"
    [[ -n "$free" ]] || continue
    if (( free < PREREQ_MIN_FREE_GB )); then
      prereq_fail "disk space" "$free GB free at $dir" "downloads, Cassandra, Elasticsearch and NATS data (at least $PREREQ_MIN_FREE_GB GB)" \
        "free some space, or move them: BAZAAR_CACHE_DIR, BAZAAR_STATE_DIR"
      return
    fi
  done
  prereq_ok "disk space" "$free GB free (need $PREREQ_MIN_FREE_GB)"
}

check_map_count() {
  local count
  count="$(cat /proc/sys/vm/max_map_count 2>/dev/null)" || return 0
  if (( count >= PREREQ_ES_MAP_COUNT )); then prereq_ok "vm.max_map_count" "$count"; return; fi
  prereq_warn "vm.max_map_count" "$count: Elasticsearch advises $PREREQ_ES_MAP_COUNT (it runs in single-node dev mode, where this is only a warning)" \
    "raise: sysctl -w vm.max_map_count=$PREREQ_ES_MAP_COUNT (keep: echo vm.max_map_count=$PREREQ_ES_MAP_COUNT > /etc/sysctl.d/99-bazaar.conf)"
}

# check_prerequisites MODE [--verbose]: MODE is start, test or doctor. Prints what is missing
# (everything with --verbose) and returns 1 if anything is.
check_prerequisites() {
  local mode="$1" errexit=false
  # The checks expect failing commands (a missing java, a closed port): not under errexit.
  [[ $- == *e* ]] && errexit=true
  set +e
  PREREQ_FAILED=0
  PREREQ_VERBOSE=false; [[ "${2:-}" == --verbose ]] && PREREQ_VERBOSE=true
  check_node
  check_jdk17
  check_jdk_es
  check_fetch_tools
  check_tools
  check_root
  check_ports "$mode"
  check_disk
  check_map_count
  $errexit && set -e
  if (( PREREQ_FAILED > 0 )); then
    printf '%d prerequisite(s) missing: nothing was fetched or started. Install them and run again (%s lists every check).\n' "$PREREQ_FAILED" "'npm run doctor'" >&2
    return 1
  fi
}
