// Interface and driver names are read byte-exactly: a copied host whose sysfs holds names with a
// newline, a leading dot, UTF-8, shell syntax and a dangling driver link, read by the inventory
// script locally (dash and bash) and over the REAL loopback sshd (test/setup/env.sh). Linux forbids
// only '/' in a driver's name and '/', ':' and blanks in an interface's; a copied tree allows more,
// and each device keeps its facts (MAC, driver, the PF's VF settings) whatever its names hold.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../server/src/cli/main';
import { parseInventoryOutput } from '../../../server/src/inventory/parseOutput';
import { buildInventoryScript } from '../../../server/src/inventory/script';
import { parseInventorySnapshot } from '../../../server/src/inventory/snapshot';
import type { Inventory } from '../../../server/src/service/types';
import { HostTree } from '../../support/hostTree';
import { runSh, tempDir } from '../../support/shellHost';
import { isolateHome, sshEnv } from './support';

const PF_NET = 'enp11s0f0\nx';
const DOT_NET = '.vf0';
const NEWLINE_NET = 'vf\n2';
const UTF8_NET = 'vf-två';
const SHELL_NET = `$(touch lhd-names-pwned)'q'\\`;
const NEWLINE_DRIVER = 'igb\nvf';
const DANGLING_DRIVER = 'gone\nvf';

let host: HostTree;
let work: string;

before(() => {
  work = tempDir('lhd-names-');
  host = new HostTree();
  host.sys.addPf({
    address: '0000:0b:00.0',
    vendor: '0x8086',
    device: '0x10c9',
    class: '0x020000',
    driver: 'igb',
    numaNode: 0,
    net: [{ name: PF_NET, mac: '00:1b:21:aa:bb:00' }],
    totalVfs: 7,
    vfDevice: '0x10ca',
    vfs: [
      { address: '0000:0b:10.0', driver: NEWLINE_DRIVER, net: [{ name: DOT_NET, mac: '02:00:76:00:0b:00' }] },
      { address: '0000:0b:10.2', driver: 'igbvf', net: [{ name: NEWLINE_NET, mac: '02:00:76:00:0b:02' }] },
      { address: '0000:0b:10.4', driver: 'igbvf', net: [{ name: UTF8_NET, mac: '02:00:76:00:0b:04' }] },
      { address: '0000:0b:10.6', driver: DANGLING_DRIVER, net: [{ name: SHELL_NET, mac: '02:00:76:00:0b:06' }] },
    ],
  });
  // a copied tree may hold the device's driver link but not the driver's directory
  fs.rmSync(path.join(host.sys.root, 'bus/pci/drivers', DANGLING_DRIVER), { recursive: true });
  host.sys.setVfInfo(PF_NET, [{ vf: 1, address: '52:54:00:6d:90:02', vlan_list: [{ vlan: 42 }], spoofchk: true, trust: false }]);
  host.sys.writeIpLink();
});

after(() => {
  host.remove();
  fs.rmSync(work, { recursive: true, force: true });
});

function assertExactNames(inventory: Inventory, warnings: string[]): void {
  assert.deepEqual(warnings, [], 'no part of the read was lost');
  const facts = inventory.devices.map((d) => [d.address, d.kind, d.netdev, d.mac, d.driver]);
  assert.deepEqual(facts, [
    ['0000:0b:00.0', 'pf', PF_NET, '00:1b:21:aa:bb:00', 'igb'],
    ['0000:0b:10.0', 'vf', DOT_NET, '02:00:76:00:0b:00', NEWLINE_DRIVER],
    ['0000:0b:10.2', 'vf', NEWLINE_NET, '02:00:76:00:0b:02', 'igbvf'],
    ['0000:0b:10.4', 'vf', UTF8_NET, '02:00:76:00:0b:04', 'igbvf'],
    ['0000:0b:10.6', 'vf', SHELL_NET, '02:00:76:00:0b:06', DANGLING_DRIVER],
  ]);
  // the PF's VF settings are found through its interface name, newline and all
  assert.deepEqual(inventory.devices.find((d) => d.address === '0000:0b:10.2')?.vf, {
    mac: '52:54:00:6d:90:02',
    vlan: 42,
    spoofchk: true,
    trust: false,
  });
}

for (const shell of ['dash', 'bash']) {
  test(`${shell}: names with a newline, a leading dot, UTF-8 and shell syntax come back exactly, nothing runs`, async () => {
    const built = buildInventoryScript({ hostRoot: host.root, uri: 'test:///default' });
    const run = await runSh(`${shell} -s`, { stdin: built.script, timeoutMs: 60_000 }, process.env, work);
    const { inventory, warnings, complete } = parseInventoryOutput(run.stdout, {
      boundary: built.boundary,
      host: 'copied',
      takenAt: '2026-12-02T08:00:00.000Z',
      sysfsRoot: built.sysfsRoot,
      hostRoot: host.root,
      uri: built.uri,
    });
    assert.equal(complete, true);
    assertExactNames(inventory, warnings);
    assert.deepEqual(fs.readdirSync(work), [], 'nothing was created by a name');
  });
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
  });
  return { code, out, err };
}

test('CLI --host local --host-root: the snapshot holds every name exactly', async () => {
  const r = await cli(['inventory', '--host', 'local', '--connect', 'test:///default', '--host-root', host.root]);
  assert.equal(r.code, 0, r.err);
  const inventory = parseInventorySnapshot(r.out, 'stdout');
  assertExactNames(inventory, []);
});

test('CLI over the loopback sshd with --host-root: the snapshot holds every name exactly', async () => {
  const env = sshEnv();
  isolateHome('lhd-names-home-', true);
  const r = await cli(['inventory', '--host', env.target, '--identity', env.key, '--connect', 'test:///default', '--host-root', host.root]);
  assert.equal(r.code, 0, r.err);
  assertExactNames(parseInventorySnapshot(r.out, 'stdout'), []);
});
