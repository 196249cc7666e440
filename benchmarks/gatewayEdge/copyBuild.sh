#!/usr/bin/env bash
# copyBuild.sh DEST: a copy of this checkout's built gateway and packages (dist only), resolving
# third-party modules from the checkout — build a commit, copy it, and bench.mjs --against DEST
# compares it with whatever is built afterwards.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dest=$1
rm -rf "$dest"
mkdir -p "$dest/node_modules/@bazaar"
for entry in "$root"/node_modules/* "$root"/node_modules/.bin; do
  name=$(basename "$entry")
  [ "$name" = "@bazaar" ] || ln -s "$entry" "$dest/node_modules/$name"
done
# The workspace links are relative (../../packages/core): the same links find the copies.
for entry in "$root"/node_modules/@bazaar/*; do ln -s "$(readlink "$entry")" "$dest/node_modules/@bazaar/$(basename "$entry")"; done
for dir in gateway packages/*; do
  mkdir -p "$dest/$dir"
  cp -r "$root/$dir/dist" "$dest/$dir/dist"
  cp "$root/$dir/package.json" "$dest/$dir/"
  if [ -d "$root/$dir/node_modules" ]; then ln -s "$root/$dir/node_modules" "$dest/$dir/node_modules"; fi
done
echo "$dest"
