# shellcheck shell=bash
# Apache Cassandra 5.0, single node, launched straight from the Maven artifact
# org.apache.cassandra:cassandra-all + its runtime dependencies (no tarball:
# only Maven Central is reachable). Runs on JDK 17, which 5.0 supports.

CASSANDRA_VERSION="${CASSANDRA_VERSION:-5.0.9}"
CASSANDRA_JAVA_HOME="${CASSANDRA_JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
CASSANDRA_PORT="${CASSANDRA_PORT:-9042}"
CASSANDRA_STORAGE_PORT="${CASSANDRA_STORAGE_PORT:-7000}"
CASSANDRA_JMX_PORT="${CASSANDRA_JMX_PORT:-7199}"
CASSANDRA_HEAP="${CASSANDRA_HEAP:-1g}"
# v2 is the 5.0 recommendation for new clusters (`npm run bench -- paxos` compares v1).
CASSANDRA_PAXOS_VARIANT="${CASSANDRA_PAXOS_VARIANT:-v2}"
# How system.paxos forgets the state of finished LWTs. legacy (Cassandra's default) writes it with
# a TTL of max(3 h, the table's gc_grace) and never looks at it again: the state of a table that
# was dropped since (every test run drops its keyspaces) stays its full 10 days, and compacting it
# became most of this node's CPU (docs/benchmarks.md §5l). gc_grace purges at compaction instead:
# after the table's gc_grace, or 3 h once the table is gone. Do not go back to legacy on a node
# that ran gc_grace: state written without a TTL would then never go (wipe the node instead).
CASSANDRA_PAXOS_STATE_PURGING="${CASSANDRA_PAXOS_STATE_PURGING:-gc_grace}"
# periodic acknowledges a write before the commit log fsync, which runs every 10 s:
# a killed process can lose the last ~100-200 ms of acknowledged writes, an OS crash
# or power loss up to 10 s. group and batch acknowledge only after the fsync (group:
# one fsync per window for every write in it; batch: an fsync as soon as a write
# waits). batch is the default: an acknowledgement means durable on a single node,
# and on this kind of disk it costs less than group (`npm run bench -- commitlog`,
# docs/benchmarks.md).
CASSANDRA_COMMITLOG_SYNC="${CASSANDRA_COMMITLOG_SYNC:-batch}"
CASSANDRA_COMMITLOG_GROUP_WINDOW="${CASSANDRA_COMMITLOG_GROUP_WINDOW:-10ms}"
# How late the kernel may wake a timed sleep of Cassandra's threads, in ns (the kernel's default
# is 50 000). Cassandra's shared request pool keeps an idle worker "spinning" for up to 10 ms
# after each task, in sleeps of 10 us: a node serving a request every few ms never stops
# spinning, and on 2 cores that costs more than the requests (7 000-12 600 wake-ups/s at 20 creates/s).
# 500 us lets each sleep last up to ~0.5 ms: 5x fewer wake-ups, ~30 % less Cassandra CPU per
# create and a lower create p99 at half the peak rate; a request that arrives while the worker
# sleeps waits up to that long (a raw LWT's p50: +0.7-0.9 ms). docs/benchmarks.md §5p.
# Empty: the kernel's default.
CASSANDRA_TIMER_SLACK_NS="${CASSANDRA_TIMER_SLACK_NS-500000}"
# Logins (PasswordAuthenticator) and grants per role (CassandraAuthorizer). A fresh node's public
# default superuser (cassandra/cassandra) is replaced by bazaar_admin, whose password the stack
# generates once per state folder (CASSANDRA_ADMIN_PASSWORD_FILE; `stack wipe` keeps it), and
# locked out (lib/cassandraAdmin.mjs). `bazaar migrate` creates each context's own role.
CASSANDRA_AUTHENTICATOR="${CASSANDRA_AUTHENTICATOR:-PasswordAuthenticator}"
CASSANDRA_AUTHORIZER="${CASSANDRA_AUTHORIZER:-CassandraAuthorizer}"
CASSANDRA_ADMIN_PASSWORD_FILE="$SECRETS_DIR/cassandra-admin"
CASSANDRA_HEALTH_TIMEOUT="${CASSANDRA_HEALTH_TIMEOUT:-180}"
CASSANDRA_STOP_TIMEOUT="${CASSANDRA_STOP_TIMEOUT:-60}"

CASSANDRA_HOME="$CACHE_DIR/cassandra-$CASSANDRA_VERSION"
CASSANDRA_DATA="$DATA_DIR/cassandra"
CASSANDRA_CONF="$CASSANDRA_DATA/conf"
# One node's identity. The single node is 127.0.0.1, its own seed; a cluster node (lib/cluster.sh)
# sets these for itself while its config and command are generated.
CASSANDRA_ADDRESS=127.0.0.1
CASSANDRA_SEEDS="127.0.0.1:$CASSANDRA_STORAGE_PORT"
CASSANDRA_CLUSTER_NAME=bazaar-local
CASSANDRA_NUM_TOKENS=16
CASSANDRA_NODE_YAML=""

cassandra_fetched() { stamp_ok "$CASSANDRA_HOME/.fetched" "$CASSANDRA_VERSION"; }

cassandra_fetch() {
  cassandra_fetched && return 0
  info "cassandra: fetching cassandra-all $CASSANDRA_VERSION + runtime dependencies from Maven Central"
  rm -rf "$CASSANDRA_HOME"; mkdir -p "$CASSANDRA_HOME"
  # A throw-away pom whose only dependency is cassandra-all; copy-dependencies
  # then resolves the full runtime closure into lib/ (the same jars the
  # binary tarball ships, minus tools).
  cat >"$CASSANDRA_HOME/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.bazaar</groupId>
  <artifactId>cassandra-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.cassandra</groupId>
      <artifactId>cassandra-all</artifactId>
      <version>$CASSANDRA_VERSION</version>
    </dependency>
  </dependencies>
</project>
POM
  mvn_run -f "$CASSANDRA_HOME/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$CASSANDRA_HOME/lib"
  [[ -f "$CASSANDRA_HOME/lib/cassandra-all-$CASSANDRA_VERSION.jar" ]] \
    || die "cassandra: cassandra-all-$CASSANDRA_VERSION.jar missing after Maven fetch"
  stamp_write "$CASSANDRA_HOME/.fetched" "$CASSANDRA_VERSION"
}

# Regenerated on every start so env overrides (ports, paxos variant, commit
# log sync, auth) always take effect. Minimal on purpose: everything not listed
# keeps the Config.java default. Keys use the 5.0 names (with units).
cassandra_prepare() {
  # Each mode takes exactly its own timing key: 5.0 refuses to start when
  # commitlog_sync_period is set next to group or batch, and has no batch window
  # any more (commitlog_sync_batch_window_in_ms is gone from Config.java).
  local commitlog_timing
  case "$CASSANDRA_COMMITLOG_SYNC" in
    periodic) commitlog_timing="commitlog_sync_period: 10000ms" ;;
    group)
      [[ "$CASSANDRA_COMMITLOG_GROUP_WINDOW" =~ ^[1-9][0-9]*(ms|s)$ ]] \
        || die "cassandra: CASSANDRA_COMMITLOG_GROUP_WINDOW='$CASSANDRA_COMMITLOG_GROUP_WINDOW' is not a positive duration in ms or s (e.g. 10ms)"
      commitlog_timing="commitlog_sync_group_window: $CASSANDRA_COMMITLOG_GROUP_WINDOW" ;;
    batch) commitlog_timing="" ;;
    *) die "cassandra: CASSANDRA_COMMITLOG_SYNC='$CASSANDRA_COMMITLOG_SYNC' is not one of periodic, group, batch" ;;
  esac
  [[ "$CASSANDRA_PAXOS_STATE_PURGING" =~ ^(legacy|gc_grace|repaired)$ ]] \
    || die "cassandra: CASSANDRA_PAXOS_STATE_PURGING='$CASSANDRA_PAXOS_STATE_PURGING' is not one of legacy, gc_grace, repaired"
  mkdir -p "$CASSANDRA_CONF" "$CASSANDRA_DATA"/{data,commitlog,saved_caches,hints,cdc_raw,triggers} "$LOG_DIR"
  cat >"$CASSANDRA_CONF/cassandra.yaml" <<YAML
# Generated by deploy/local/stack -- edits are overwritten on every start.
cluster_name: $CASSANDRA_CLUSTER_NAME
num_tokens: $CASSANDRA_NUM_TOKENS
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
endpoint_snitch: SimpleSnitch

# Fresh single-node dev cluster, never upgraded from 4.x: enable all 5.0
# storage/messaging features right away (same as conf/cassandra_latest.yaml).
storage_compatibility_mode: NONE
paxos_variant: $CASSANDRA_PAXOS_VARIANT
paxos_state_purging: $CASSANDRA_PAXOS_STATE_PURGING

authenticator:
  class_name: $CASSANDRA_AUTHENTICATOR
authorizer:
  class_name: $CASSANDRA_AUTHORIZER
role_manager:
  class_name: CassandraRoleManager

seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "$CASSANDRA_SEEDS"
listen_address: $CASSANDRA_ADDRESS
rpc_address: $CASSANDRA_ADDRESS
storage_port: $CASSANDRA_STORAGE_PORT
native_transport_port: $CASSANDRA_PORT
start_native_transport: true

data_file_directories:
  - $CASSANDRA_DATA/data
commitlog_directory: $CASSANDRA_DATA/commitlog
saved_caches_directory: $CASSANDRA_DATA/saved_caches
hints_directory: $CASSANDRA_DATA/hints
cdc_raw_directory: $CASSANDRA_DATA/cdc_raw
commitlog_sync: $CASSANDRA_COMMITLOG_SYNC
$commitlog_timing

# Small footprint for a 2-core dev box shared with ES, NATS and Node.
concurrent_reads: 8
concurrent_writes: 8
concurrent_counter_writes: 8
concurrent_compactors: 1
memtable_heap_space: 128MiB
memtable_offheap_space: 128MiB
key_cache_size: 16MiB
file_cache_size: 64MiB
# Tests drop/truncate tables constantly; snapshots would only eat disk & time.
auto_snapshot: false
$CASSANDRA_NODE_YAML
YAML

  # Console appender only: stdout is redirected to .local/logs/cassandra.log,
  # so JVM errors and Cassandra logging end up in one file.
  cat >"$CASSANDRA_CONF/logback.xml" <<'XML'
<configuration scan="false">
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="STDOUT"/></root>
</configuration>
XML
}

cassandra_launch_cmd() {
  local java="$CASSANDRA_JAVA_HOME/bin/java"
  [[ -x "$java" ]] || die "cassandra: JDK 17 not found at $CASSANDRA_JAVA_HOME (set CASSANDRA_JAVA_HOME)"
  LAUNCH_ENV=(MALLOC_ARENA_MAX=4)   # as cassandra-env.sh does
  [[ -z "$CASSANDRA_TIMER_SLACK_NS" || "$CASSANDRA_TIMER_SLACK_NS" =~ ^[1-9][0-9]*$ ]] \
    || die "cassandra: CASSANDRA_TIMER_SLACK_NS='$CASSANDRA_TIMER_SLACK_NS' is not a positive number of ns (or empty: the kernel's default)"
  LAUNCH_TIMER_SLACK_NS="$CASSANDRA_TIMER_SLACK_NS"
  LAUNCH_CMD=(
    "$java"
    -Xms"$CASSANDRA_HEAP" -Xmx"$CASSANDRA_HEAP"
    # From conf/jvm-server.options (AlwaysPreTouch dropped: it would make
    # the 1 GB heap resident immediately and slow startup).
    -ea -da:net.openhft... -XX:+UseThreadPriorities -XX:+HeapDumpOnOutOfMemoryError
    -XX:HeapDumpPath="$CASSANDRA_DATA" -XX:+ExitOnOutOfMemoryError -Xss256k -XX:+UseTLAB -XX:+ResizeTLAB
    -XX:+PerfDisableSharedMem -Djava.net.preferIPv4Stack=true
    # From conf/jvm17-server.options: G1 ...
    -XX:+UseG1GC -XX:+ParallelRefProcEnabled -XX:MaxTenuringThreshold=1
    -XX:G1HeapRegionSize=16m -XX:G1RSetUpdatingPauseTimePercent=5
    -XX:MaxGCPauseMillis=300 -XX:InitiatingHeapOccupancyPercent=70
    # ... JPMS exports/opens needed by Cassandra's internals on JDK 17 ...
    -Djdk.attach.allowAttachSelf=true
    --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
    --add-exports java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED
    --add-exports java.rmi/sun.rmi.registry=ALL-UNNAMED
    --add-exports java.rmi/sun.rmi.server=ALL-UNNAMED
    --add-exports java.sql/java.sql=ALL-UNNAMED
    --add-exports java.base/java.lang.ref=ALL-UNNAMED
    --add-exports jdk.unsupported/sun.misc=ALL-UNNAMED
    --add-exports jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
    --add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED
    --add-opens java.base/java.lang.module=ALL-UNNAMED
    --add-opens java.base/jdk.internal.loader=ALL-UNNAMED
    --add-opens java.base/jdk.internal.ref=ALL-UNNAMED
    --add-opens java.base/jdk.internal.reflect=ALL-UNNAMED
    --add-opens java.base/jdk.internal.math=ALL-UNNAMED
    --add-opens java.base/jdk.internal.module=ALL-UNNAMED
    --add-opens java.base/jdk.internal.util.jar=ALL-UNNAMED
    --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
    --add-opens java.base/sun.nio.ch=ALL-UNNAMED
    --add-opens java.base/java.io=ALL-UNNAMED
    --add-opens java.base/java.lang.reflect=ALL-UNNAMED
    --add-opens jdk.compiler/com.sun.tools.javac=ALL-UNNAMED
    --add-opens java.base/java.lang=ALL-UNNAMED
    --add-opens java.base/java.util=ALL-UNNAMED
    # ... and Netty settings.
    -Dio.netty.tryReflectionSetAccessible=true
    -Dio.netty.allocator.useCacheForAllThreads=true -Dio.netty.allocator.maxOrder=11
    # jamm agent for accurate memtable sizing (cassandra-env.sh adds it too).
    -javaagent:"$(ls "$CASSANDRA_HOME"/lib/jamm-*.jar | head -n1)"
    # JMX on localhost only, no auth (what cassandra-env.sh does with LOCAL_JMX=yes).
    -Dcassandra.jmx.local.port="$CASSANDRA_JMX_PORT" -Dcom.sun.management.jmxremote.authenticate=false
    # Single node: no point waiting for gossip/ring to settle (both properties
    # exist in 5.0's CassandraRelevantProperties). Also make the default
    # superuser setup (only relevant with PasswordAuthenticator) immediate.
    -Dcassandra.skip_wait_for_gossip_to_settle=0 -Dcassandra.ring_delay_ms=0
    -Dcassandra.superuser_setup_delay_ms=0
    -Dcassandra.config="file://$CASSANDRA_CONF/cassandra.yaml"
    -Dcassandra.storagedir="$CASSANDRA_DATA"
    -Dcassandra.triggers_dir="$CASSANDRA_DATA/triggers"
    -Dcassandra.logdir="$LOG_DIR"
    -Dlogback.configurationFile="file://$CASSANDRA_CONF/logback.xml"
    -Dcassandra-foreground=yes
    -cp "$CASSANDRA_CONF:$CASSANDRA_HOME/lib/*"
    org.apache.cassandra.service.CassandraDaemon
  )
}

# Health: a login and a read with the project's driver (lib/cassandraProbe.mjs): the admin login
# once the stack has one, the node's default superuser before, any with auth off. Node and the
# driver come with the project (npm ci runs before `stack up` in npm start/test); without them the
# probe says what is missing, and the wait fails at once instead of at the health timeout.
cassandra_probe() {
  command -v node >/dev/null || { PROBE_ERR="node not found: the Cassandra probe runs Node.js with the project's cassandra-driver (install Node.js, then npm ci)"; return 2; }
  local password_file="" out rc=0
  [[ "$CASSANDRA_AUTHENTICATOR" == PasswordAuthenticator ]] && password_file="$CASSANDRA_ADMIN_PASSWORD_FILE"
  out="$(timeout 15 node "$STACK_DIR/lib/cassandraProbe.mjs" "$CASSANDRA_ADDRESS:$CASSANDRA_PORT" "$password_file" 2>&1)" || rc=$?
  (( rc == 0 )) && return 0
  PROBE_ERR="${out:-the probe exited without a reason (timed out after 15 s?)}"
  # 3: the driver is missing (cassandraProbe.mjs).
  (( rc == 3 )) && return 2
  return 1
}

cassandra_endpoint() { echo "cql://$CASSANDRA_ADDRESS:$CASSANDRA_PORT (storage :$CASSANDRA_STORAGE_PORT, jmx 127.0.0.1:$CASSANDRA_JMX_PORT)"; }
cassandra_version()  { echo "Cassandra $CASSANDRA_VERSION on $("$CASSANDRA_JAVA_HOME/bin/java" -version 2>&1 | head -n1 | tr -d '"')"; }
# JMX listens on 127.0.0.1 whatever the node's address (cassandra.jmx.local.port).
cassandra_ports()    { echo "$CASSANDRA_ADDRESS:$CASSANDRA_PORT $CASSANDRA_ADDRESS:$CASSANDRA_STORAGE_PORT 127.0.0.1:$CASSANDRA_JMX_PORT"; }

# The admin password: generated on first use, readable by this user only.
cassandra_admin_password() {
  [[ -s "$CASSANDRA_ADMIN_PASSWORD_FILE" ]] && return 0
  mkdir -p "$(dirname "$CASSANDRA_ADMIN_PASSWORD_FILE")"
  chmod 700 "$(dirname "$CASSANDRA_ADMIN_PASSWORD_FILE")"
  (umask 077; od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$CASSANDRA_ADMIN_PASSWORD_FILE")
}

# Once the node(s) answer: logins required, the default superuser locked out (idempotent).
# cassandra_secure <contact point,…> <replication factor of system_auth>
cassandra_secure() {
  [[ "$CASSANDRA_AUTHENTICATOR" == PasswordAuthenticator ]] || return 0
  cassandra_admin_password
  node "$STACK_DIR/lib/cassandraAdmin.mjs" "$1" "$CASSANDRA_ADMIN_PASSWORD_FILE" "$2"
}
