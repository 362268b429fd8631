// The sysfs-shaped tree shipped in examples/ (what the README's "try it" commands read): the CLI
// turns it into the RHEL guide's host, and the examples check against it as they do against the
// snapshot file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Inventory } from '../../../server/src/service/types';
import { runCli, type CliRun } from '../../support/cli';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const tree = path.join(root, 'examples', 'sysfs-82576');

const run = (...argv: string[]): Promise<CliRun> => runCli(argv);

test('inventory --host local --sysfs-root examples/sysfs-82576: two 82576 PFs with 7 VFs each, VF indexes and admin settings', async () => {
  const { code, stdout, stderr } = await run('inventory', '--host', 'local', '--connect', 'test:///default', '--sysfs-root', tree);
  assert.equal(code, 0, stderr);
  const inventory = JSON.parse(stdout) as Inventory;
  const pfs = inventory.devices.filter((d) => d.kind === 'pf');
  const vfs = inventory.devices.filter((d) => d.kind === 'vf');
  assert.deepEqual(
    pfs.map((d) => [d.address, d.netdev, d.driver, d.numVfs, d.totalVfs]),
    [
      ['0000:0b:00.0', 'enp11s0f0', 'igb', 7, 7],
      ['0000:0b:00.1', 'enp11s0f1', 'igb', 7, 7],
    ],
  );
  assert.equal(vfs.length, 14);
  const vf0 = vfs.find((d) => d.address === '0000:0b:10.0');
  assert.deepEqual([vf0?.pf, vf0?.vfIndex, vf0?.driver, vf0?.vf?.vlan], ['0000:0b:00.0', 0, 'igbvf', 42]);
  const vf3 = vfs.find((d) => d.address === '0000:0b:10.6');
  assert.deepEqual([vf3?.pf, vf3?.vfIndex], ['0000:0b:00.0', 3]);
});

test('inventory --output FILE: the note on stderr counts in words (14 VFs, 1 guest)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-tree-'));
  try {
    const file = path.join(dir, 'snap.json');
    const { code, stderr } = await run(
      'inventory',
      '--host',
      'local',
      '--connect',
      'test:///default',
      '--sysfs-root',
      tree,
      '--output',
      file,
    );
    assert.equal(code, 0, stderr);
    assert.equal(stderr, `libvirt-hostdev: wrote ${file} (14 VFs, 1 guest)\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('check --host local --sysfs-root examples/sysfs-82576 reports the PF and the unknown address in guest-bad.xml', async () => {
  const { code, stdout } = await run(
    'check',
    '--host',
    'local',
    '--connect',
    'test:///default',
    '--sysfs-root',
    tree,
    '--format',
    'json',
    path.join(root, 'examples', 'guest-bad.xml'),
  );
  assert.equal(code, 1);
  const codes = (JSON.parse(stdout) as Array<{ diagnostics: Array<{ code: string }> }>)[0].diagnostics.map((d) => d.code);
  assert.ok(codes.includes('pci-not-vf'), codes.join());
  assert.ok(codes.includes('pci-unknown'), codes.join());
});
