// Entry the extension host calls (extensionTestsPath): runs the mocha suite in the real VS Code
// extension host. Both launchers use it: test/e2e/runTest.ts (@vscode/test-electron, desktop) and
// test/e2e/offline/launch.mjs (VS Code server + headless chromium, CI).
// LIBVIRT_HOSTDEV_E2E_MODE=restricted runs only the restricted*.test.js files (that launcher run opens the
// folder untrusted), =multiroot only the multiroot*.test.js files (a window of two folders); otherwise
// every other *.test.js here runs, in name order.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

// The offline launcher relays the extension host's console through the workbench together with the
// workbench's own chatter; it prints only lines tagged [suite] (the reporter's output).
Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(`[suite] ${format(...args)}`);

export function run(): Promise<void> {
  // restricted*.test.js and multiroot*.test.js run in their own passes, the rest in the trusted one
  const mode = process.env.LIBVIRT_HOSTDEV_E2E_MODE;
  const pass = mode === 'restricted' || mode === 'multiroot' ? mode : null;
  // no colours: the output is relayed line by line through the workbench to the launcher's stdout
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 120_000, reporter: 'spec' });
  // restricted.test.js first: the first-run walk (restricted-firstrun) adds a host of the user's own
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort((a, b) => Number(b === 'restricted.test.js') - Number(a === 'restricted.test.js') || a.localeCompare(b))
    .filter((f) => (pass === null ? !f.startsWith('restricted') && !f.startsWith('multiroot') : f.startsWith(pass)));
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} e2e test(s) failed`)) : resolve()));
  });
}
