// `libvirt-hostdev check --host local`: real virsh (libvirt's test driver) and a sysfs-shaped tree.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildRhelExampleTree } from '../../support/sysfsTree';
import { runCli, type CliRun } from '../../support/cli';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const bad = path.join(root, 'examples', 'guest-bad.xml');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-cli-live-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const run = (...argv: string[]): Promise<CliRun> => runCli(argv);

test('--host local reads the live inventory (real virsh, sysfs-shaped tree) for the check', async () => {
  const { tree } = buildRhelExampleTree(path.join(tmp, 'sysfs'));
  const { code, stdout, stderr } = await run('check', '--host', 'local', '--connect', 'test:///default', '--sysfs-root', tree.root, bad);
  assert.equal(stderr, '');
  assert.equal(code, 1);
  assert.match(stdout, / error pci-not-vf: /);
  assert.match(stdout, / error pci-unknown: /);
});
