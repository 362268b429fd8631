#!/usr/bin/env bash
# Offline end-to-end run (CI): `npm run test:e2e` (after `npm run build`).
# Installs the tools on demand into .tools/e2e/ (install.sh), sets up the loopback sshd + qemu:///session
# (test/setup/env.sh) when the caller has not, then runs four passes in a real VS Code server + headless
# chromium (launch.mjs): once trusted (the features, attach, screenshots into docs/images/), once in
# Restricted Mode (attach unavailable, then the first-run walk), once as a user with no test hooks, with
# the .vsix installed as a user installs it (real modal dialogs: test/e2e/user/firstAttach.mjs), once in
# a window of two folders on two hosts. Exit code: 0 only when all passed.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$ROOT"
bash test/e2e/offline/install.sh
if [ -z "${LIBVIRT_HOSTDEV_TEST_SSH_PORT:-}" ] && [ -f test/setup/env.sh ]; then
  # shellcheck source=/dev/null
  source test/setup/env.sh
fi
if [ ! -f dist/extension.js ] || [ ! -f out/test/e2e/suite/index.js ]; then npm run build; fi
# the user pass installs the .vsix: made again when missing or older than the bundles
if [ ! -f libvirt-hostdev.vsix ] || [ -n "$(find dist -name '*.js' -newer libvirt-hostdev.vsix | head -1)" ]; then npm run package; fi
status=0
LIBVIRT_HOSTDEV_E2E_MODE=trusted node test/e2e/offline/launch.mjs || status=1
LIBVIRT_HOSTDEV_E2E_MODE=restricted node test/e2e/offline/launch.mjs || status=1
LIBVIRT_HOSTDEV_E2E_MODE=user node test/e2e/offline/launch.mjs || status=1
LIBVIRT_HOSTDEV_E2E_MODE=multiroot node test/e2e/offline/launch.mjs || status=1
exit $status
