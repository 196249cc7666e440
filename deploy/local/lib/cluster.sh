# shellcheck shell=bash
# Cluster mode (`stack up --nodes 3`): a Cassandra cluster and a NATS JetStream cluster of
# CLUSTER_NODES servers each, on loopback addresses of their own (127.0.1.1, 127.0.1.2, …), beside
# the single-node stack on 127.0.0.1, which keeps running untouched. Nodes are named
# cassandra-<n> and nats-<n>; each has its data under $STATE_DIR/cluster/<server>-<n>, its log in
# cluster/logs, its pid file in cluster/run. Elasticsearch stays the single-node server: it holds
# only read models, rebuilt from the event store at any time, so no acknowledgement depends on it
# (and a 3-node ES would cost another 3 GB and most of the CPU of this kind of machine).
#
# Every node binds to its own address, so the cluster reuses the standard ports (CQL 9042,
# storage 7000, NATS 4222, monitor 8222, routes 6222). Only JMX, which Cassandra always binds to
# 127.0.0.1, needs a port per node: CLUSTER_JMX_BASE + n (7201, 7202, 7203).

CLUSTER_ADDRESS_PREFIX="${CLUSTER_ADDRESS_PREFIX:-127.0.1.}"
# Per Cassandra node: 3 × (512 MiB heap + off-heap) next to the single-node stack on 2 cores.
CASSANDRA_NODE_HEAP="${CASSANDRA_NODE_HEAP:-512m}"
CLUSTER_JMX_BASE="${CLUSTER_JMX_BASE:-7200}"
NATS_CLUSTER_PORT="${NATS_CLUSTER_PORT:-6222}"
# How long `up` waits for every Cassandra node to see every other as Up/Normal.
CLUSTER_RING_TIMEOUT="${CLUSTER_RING_TIMEOUT:-120}"

CLUSTER_NAME=bazaar-cluster
# The cluster's size: `--nodes N`, else what the last `up --nodes N` recorded, else 3.
CLUSTER_NODES=""
cluster_size_file() { echo "$CLUSTER_DIR/nodes"; }

node_address() { echo "$CLUSTER_ADDRESS_PREFIX$1"; }
node_number() { echo "${1##*-}"; }

cluster_nodes_of() { # cluster_nodes_of cassandra|nats -> cassandra-1 cassandra-2 …
  local n
  for (( n = 1; n <= CLUSTER_NODES; n++ )); do echo "$1-$n"; done
}

# One token per node, evenly spaced over the Murmur3 ring: a fresh cluster needs no token
# allocation and no bootstrap streaming (auto_bootstrap: false), so nodes 2…N join together.
cassandra_node_token() {
  local n="$1" step=$(( 9223372036854775807 / CLUSTER_NODES * 2 )) t=-9223372036854775807 i
  for (( i = 1; i < n; i++ )); do t=$(( t + step )); done
  echo "$t"
}

# Runs "$@" with the single-node variables of cassandra.sh rebound to node N (bash locals are
# visible to the functions called), so cassandra_prepare/_launch_cmd/_probe serve every node.
with_cassandra_node() {
  local n="$1"; shift
  local CASSANDRA_ADDRESS CASSANDRA_SEEDS CASSANDRA_CLUSTER_NAME="$CLUSTER_NAME" CASSANDRA_NUM_TOKENS=1 CASSANDRA_NODE_YAML
  local CASSANDRA_DATA="$CLUSTER_DIR/cassandra-$n" CASSANDRA_CONF="$CLUSTER_DIR/cassandra-$n/conf"
  local CASSANDRA_JMX_PORT=$(( CLUSTER_JMX_BASE + n )) CASSANDRA_HEAP="$CASSANDRA_NODE_HEAP" LOG_DIR="$CLUSTER_DIR/logs"
  CASSANDRA_ADDRESS="$(node_address "$n")"
  CASSANDRA_SEEDS="$(node_address 1):$CASSANDRA_STORAGE_PORT"
  CASSANDRA_NODE_YAML="# Cluster node $n of $CLUSTER_NODES: its own token, no bootstrap (the cluster starts empty).
initial_token: $(cassandra_node_token "$n")
auto_bootstrap: false"
  "$@"
}

cassandra_node_launch_cmd() {
  cassandra_launch_cmd
  # Same JVM as the single node (its -D settings stay; a later -D wins): join without waiting
  # for gossip to settle, with a short ring delay (other nodes learn of a join or a restart
  # within it); it also says which node a process is in `ps`.
  local main="${LAUNCH_CMD[-1]}"
  unset 'LAUNCH_CMD[-1]'
  LAUNCH_CMD+=(-Dcassandra.ring_delay_ms=1000 -Dcassandra.skip_wait_for_gossip_to_settle=0 -Dbazaar.node="$CLUSTER_NAME/cassandra-$1" "$main")
}

with_nats_node() {
  local n="$1"; shift
  local NATS_ADDRESS NATS_SERVER_NAME="$CLUSTER_NAME-nats-$n" NATS_CLUSTER_CONF routes="" i
  local NATS_DATA="$CLUSTER_DIR/nats-$n" NATS_CONF="$CLUSTER_DIR/nats-$n/nats-server.conf"
  NATS_ADDRESS="$(node_address "$n")"
  for (( i = 1; i <= CLUSTER_NODES; i++ )); do
    (( i == n )) || routes+="    nats-route://$(node_address "$i"):$NATS_CLUSTER_PORT"$'\n'
  done
  NATS_CLUSTER_CONF="cluster {
  name: $CLUSTER_NAME
  listen: $NATS_ADDRESS:$NATS_CLUSTER_PORT
  routes: [
$routes  ]
}"
  "$@"
}

nats_node_ports() { echo "$NATS_ADDRESS:$NATS_PORT $NATS_ADDRESS:$NATS_MONITOR_PORT $NATS_ADDRESS:$NATS_CLUSTER_PORT"; }

# The <server>-<n>_<verb> functions common.sh calls (see its header), for nodes 1…9.
define_cluster_nodes() {
  local n verb
  for (( n = 1; n <= 9; n++ )); do
    for verb in fetched fetch version; do
      eval "cassandra-${n}_$verb() { cassandra_$verb; }"
      eval "nats-${n}_$verb() { nats_$verb; }"
    done
    for verb in prepare probe endpoint ports; do
      eval "cassandra-${n}_$verb() { with_cassandra_node $n cassandra_$verb; }"
    done
    eval "cassandra-${n}_launch_cmd() { with_cassandra_node $n cassandra_node_launch_cmd $n; }"
    for verb in prepare launch_cmd probe endpoint; do
      eval "nats-${n}_$verb() { with_nats_node $n nats_$verb; }"
    done
    eval "nats-${n}_ports() { with_nats_node $n nats_node_ports; }"
  done
}
define_cluster_nodes

# Cluster mode on: the servers `up`/`status` mean are the nodes, plus the single Elasticsearch.
enter_cluster_mode() {
  local size="${1:-}"
  if [[ -z "$size" && -s "$(cluster_size_file)" ]]; then size="$(<"$(cluster_size_file)")"; fi
  size="${size:-3}"
  [[ "$size" =~ ^[1-9]$ ]] || die "--nodes: '$size' is not a number of nodes from 1 to 9"
  CLUSTER_NODES="$size"
  mapfile -t SERVERS < <(cluster_nodes_of cassandra; cluster_nodes_of nats; echo elasticsearch)
}

# Prints nodetool status as one node sees the ring (a JVM: about two seconds).
cassandra_ring() {
  local n="${1:-1}"
  # The JPMS openings of conf/jvm11-clients.options; its history file goes to the cluster dir.
  "$CASSANDRA_JAVA_HOME/bin/java" -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
    --add-exports java.base/sun.nio.ch=ALL-UNNAMED --add-exports java.rmi/sun.rmi.registry=ALL-UNNAMED \
    --add-exports java.rmi/sun.rmi.server=ALL-UNNAMED --add-exports java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED \
    --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/jdk.internal.ref=ALL-UNNAMED \
    --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.io=ALL-UNNAMED \
    -Duser.home="$CLUSTER_DIR" \
    -cp "$CASSANDRA_HOME/lib/*" org.apache.cassandra.tools.NodeTool \
    -h 127.0.0.1 -p $(( CLUSTER_JMX_BASE + n )) status 2>&1
}

# Waits until every Cassandra node's ring shows every node Up/Normal (UN), then says so. Each
# node is asked at once (one nodetool JVM each, in parallel).
wait_ring() {
  local t0="$EPOCHSECONDS" n up next_report=$(( EPOCHSECONDS + PROGRESS_EVERY )) tmp
  tmp="$(mktemp -d)"
  while :; do
    local -a asking=()
    for (( n = 1; n <= CLUSTER_NODES; n++ )); do
      ( cassandra_ring "$n" >"$tmp/$n" ) &
      asking+=($!)
    done
    # Only these: a bare `wait` would also wait for the servers this script started.
    wait "${asking[@]}"
    up=0
    for (( n = 1; n <= CLUSTER_NODES; n++ )); do
      (( $(grep -cE '^UN ' "$tmp/$n" || true) == CLUSTER_NODES )) && up=$(( up + 1 ))
    done
    if (( up == CLUSTER_NODES )); then
      line "ring" ready "$CLUSTER_NODES nodes Up/Normal as each node sees it, after $(( EPOCHSECONDS - t0 ))s"
      rm -rf "$tmp"
      return 0
    fi
    if (( EPOCHSECONDS - t0 >= CLUSTER_RING_TIMEOUT )); then
      echo "error: the Cassandra ring did not show $CLUSTER_NODES nodes Up/Normal on every node within ${CLUSTER_RING_TIMEOUT}s (raise CLUSTER_RING_TIMEOUT)" >&2
      for (( n = 1; n <= CLUSTER_NODES; n++ )); do echo "--- as cassandra-$n sees it:"; cat "$tmp/$n"; done >&2
      rm -rf "$tmp"
      return 1
    fi
    if (( EPOCHSECONDS >= next_report )); then
      info "  ... waiting for the ring: $up of $CLUSTER_NODES nodes see all $CLUSTER_NODES Up/Normal ($(( EPOCHSECONDS - t0 ))s)"
      next_report=$(( EPOCHSECONDS + PROGRESS_EVERY ))
    fi
    sleep 1
  done
}

# JetStream's meta group as its leader sees it (only the leader knows whether followers are
# current): sets JS_META (a line) and returns 0 when there is a leader and every follower is current.
jetstream_meta() {
  local n body leader="" current
  for (( n = 1; n <= CLUSTER_NODES; n++ )); do
    body="$(curl -sS --max-time 3 "http://$(node_address "$n"):$NATS_MONITOR_PORT/jsz" 2>/dev/null)" || continue
    leader="$(grep -oE '"leader": *"[^"]*"' <<<"$body" | head -n1 | cut -d'"' -f4)"
    [[ -n "$leader" ]] && break
  done
  if [[ "$leader" != "$CLUSTER_NAME-nats-"[1-9] ]]; then JS_META="no meta leader${leader:+ ($leader)}"; return 1; fi
  n="${leader##*-}"
  if ! body="$(curl -sS --max-time 3 "http://$(node_address "$n"):$NATS_MONITOR_PORT/jsz" 2>/dev/null)"; then
    JS_META="meta leader nats-$n does not answer /jsz"; return 1
  fi
  current="$(grep -cE '"current": *true' <<<"$body" || true)"
  JS_META="meta leader nats-$n, $current of $(( CLUSTER_NODES - 1 )) followers current"
  (( current == CLUSTER_NODES - 1 ))
}

nats_cluster_line() { local rc=0; jetstream_meta || rc=1; line "jetstream" meta "$JS_META"; return $rc; }

# After a start: a restarted node's followers catch up within seconds; wait for that (bounded).
CLUSTER_JETSTREAM_TIMEOUT="${CLUSTER_JETSTREAM_TIMEOUT:-60}"
wait_jetstream() {
  local t0="$EPOCHSECONDS"
  until jetstream_meta; do
    if (( EPOCHSECONDS - t0 >= CLUSTER_JETSTREAM_TIMEOUT )); then
      echo "error: JetStream's meta group not whole within ${CLUSTER_JETSTREAM_TIMEOUT}s: $JS_META (raise CLUSTER_JETSTREAM_TIMEOUT)" >&2
      return 1
    fi
    sleep 1
  done
  line "jetstream" meta "$JS_META, after $(( EPOCHSECONDS - t0 ))s"
}
