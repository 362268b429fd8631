#!/usr/bin/env bash
# The whole test run, from a fresh clone: installs what the tests need, builds, runs every layer.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
if [ -f test/setup/env.sh ]; then source test/setup/env.sh; fi
# a clean build: compiled tests of deleted sources must not linger in out/
rm -rf out dist
# one formatting for every file (Prettier; `npm run format` fixes what this reports)
npm run format:check
npm run build
node --test out/test/unit/ out/test/server/ out/test/integration/
# the .vsix builds offline (production bundles; vsce runs vscode:prepublish)
npm run package
# end-to-end in a real VS Code (offline launcher: VS Code server + headless chromium; tools on demand in .tools/e2e/)
npm run test:e2e
