// `libvirt-hostdev check --host local`: real virsh (libvirt's test driver) and a sysfs-shaped tree.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../server/src/cli/main';
import { buildRhelExampleTree } from '../../support/sysfsTree';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const bad = path.join(root, 'examples', 'guest-bad.xml');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-cli-live-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

test('--host local reads the live inventory (real virsh, sysfs-shaped tree) for the check', async () => {
  const { tree } = buildRhelExampleTree(path.join(tmp, 'sysfs'));
  const { code, stdout, stderr } = await run('check', '--host', 'local', '--connect', 'test:///default', '--sysfs-root', tree.root, bad);
  assert.equal(stderr, '');
  assert.equal(code, 1);
  assert.match(stdout, / error pci-not-vf: /);
  assert.match(stdout, / error pci-unknown: /);
});
