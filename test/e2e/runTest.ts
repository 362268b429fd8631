// Launcher 1: the same e2e suite in desktop VS Code through @vscode/test-electron (downloads VS Code,
// so it needs network or a local VS Code: set LIBVIRT_HOSTDEV_E2E_VSCODE=/path/to/code to use yours).
//   npm run build && source test/setup/env.sh && node out/test/e2e/runTest.js
// The workspace settings point at the loopback host only when test/e2e/offline/launch.mjs prepares
// them; this launcher opens test/e2e/workspace as it is (set libvirtHostdev.* there or in your user
// settings). CI uses the offline launcher (npm run test:e2e) instead.
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..', '..');
  try {
    await runTests({
      ...(process.env.LIBVIRT_HOSTDEV_E2E_VSCODE ? { vscodeExecutablePath: process.env.LIBVIRT_HOSTDEV_E2E_VSCODE } : {}),
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'test', 'e2e', 'suite', 'index.js'),
      launchArgs: [path.join(root, 'test', 'e2e', 'workspace'), '--disable-extensions', '--disable-workspace-trust'],
    });
  } catch (e) {
    console.error('e2e tests failed:', e);
    process.exit(1);
  }
}

void main();
