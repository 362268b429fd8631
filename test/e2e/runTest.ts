// Launcher 1: the same e2e suite in desktop VS Code through @vscode/test-electron. It downloads VS
// Code, so it needs network (or a local VS Code: LIBVIRT_HOSTDEV_E2E_VSCODE=/path/to/code).
//   npm run build && source test/setup/env.sh && node out/test/e2e/runTest.js
// It prepares the same workspace as the offline launcher (test/e2e/offline/workspace.mjs: settings
// pointing at the loopback sshd, guests in qemu:///session) and removes them afterwards.
// CI uses the offline launcher instead: npm run test:e2e.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runTests } from '@vscode/test-electron';

interface PreparedWorkspace {
  folder: string;
  env: Record<string, string>;
}

async function main(): Promise<number> {
  const root = path.resolve(__dirname, '..', '..', '..');
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-e2e-'));
  fs.chmodSync(temp, 0o755); // vmtest reads the sysfs tree inside
  const cleanups: (() => unknown)[] = [];
  try {
    const { prepareWorkspace } = (await import(pathToFileURL(path.join(root, 'test', 'e2e', 'offline', 'workspace.mjs')).href)) as {
      prepareWorkspace(o: object): Promise<PreparedWorkspace>;
    };
    const say = (...args: unknown[]) => console.log('[e2e]', ...args);
    const ws = await prepareWorkspace({ root, temp, mode: 'trusted', cleanups, say });
    await runTests({
      ...(process.env.LIBVIRT_HOSTDEV_E2E_VSCODE ? { vscodeExecutablePath: process.env.LIBVIRT_HOSTDEV_E2E_VSCODE } : {}),
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'test', 'e2e', 'suite', 'index.js'),
      extensionTestsEnv: { ...ws.env, LIBVIRT_HOSTDEV_E2E_MODE: 'trusted' },
      launchArgs: [ws.folder, '--disable-extensions', '--disable-workspace-trust'],
    });
    return 0;
  } catch (e) {
    console.error('e2e tests failed:', e);
    return 1;
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (e) {
        console.error('cleanup:', e);
      }
    }
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

void main().then((code) => process.exit(code));
