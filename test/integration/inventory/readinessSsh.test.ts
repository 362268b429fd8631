// Host readiness over the REAL loopback sshd (user vmtest): a copied host read with --host-root
// (root-only files reported as unreadable, not silently missed), and this machine's own IOMMU state
// checked against REAL libvirt: the start-time message host-iommu quotes is the one qemu:///session
// gives when the guest starts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { main } from '../../../server/src/cli/main';
import { fetchInventory } from '../../../server/src/inventory/fetchInventory';
import { NO_IOMMU_ERROR } from '../../../server/src/service/readiness';
import { validate } from '../../../server/src/service/index';
import { HostTree } from '../../support/hostTree';
import { addIntel82576 } from '../../support/sysfsTree';
import { defineGuest, hostdevInterface, isolateHome, sshEnv, sshTransport, undefineGuest, vmVirsh } from './support';

const GUEST = 'lhd-ready-iommu';
const ODD_PROFILE = "Wired\nconnection '1'.nmconnection";
let tree: HostTree;

before(() => {
  isolateHome('lhd-ready-home-', true);
  tree = new HostTree();
  addIntel82576(tree.sys);
  tree.sys.writeIpLink();
  tree.write('etc/modprobe.d/igb.conf', 'options igb max_vfs=7\n');
  // NetworkManager keeps profiles root-only: the SSH user cannot read this one
  tree.write(
    'etc/NetworkManager/system-connections/enp11s0f1.nmconnection',
    '[connection]\ninterface-name=enp11s0f1\n[sriov]\ntotal-vfs=7\n',
    0o600,
  );
  // a profile's name may hold blanks and even a newline
  tree.write(`etc/NetworkManager/system-connections/${ODD_PROFILE}`, '[connection]\ninterface-name=enp11s0f0\n', 0o600);
  undefineGuest(GUEST);
});

after(() => {
  tree.remove();
  undefineGuest(GUEST);
});

test('over SSH, --host-root: persistence read from the copied etc/, root-only profiles listed as unreadable by their exact names', async () => {
  const transport = sshTransport();
  try {
    const { inventory } = await fetchInventory(transport, { host: 'kvm1', uri: 'test:///default', hostRoot: tree.root, timeoutMs: 60_000 });
    const r = inventory.readiness!;
    assert.ok(r.iommu.groups > 0);
    assert.deepEqual(
      r.vfPersistence['0000:0b:00.0'].map((s) => s.detail),
      ['options igb max_vfs=7'],
    );
    assert.deepEqual(r.unreadable, [
      `etc/NetworkManager/system-connections/${ODD_PROFILE}`,
      'etc/NetworkManager/system-connections/enp11s0f1.nmconnection',
    ]);
    // igb has max_vfs in modprobe.d for both ports: the unreadable profile does not matter here
    assert.deepEqual(
      r.vfPersistence['0000:0b:00.1'].map((s) => s.mechanism),
      ['modprobe'],
    );
  } finally {
    transport.close();
  }
});

test('CLI inventory --host-root over SSH writes the readiness fields', async () => {
  const env = sshEnv();
  let out = '';
  let err = '';
  const code = await main(
    ['inventory', '--host', env.target, '--identity', env.key, '--connect', 'test:///default', '--host-root', tree.root],
    {
      stdout: (t) => {
        out += t;
      },
      stderr: (t) => {
        err += t;
      },
    },
  );
  assert.equal(code, 0, err);
  const snapshot = JSON.parse(out);
  assert.equal(snapshot.format, 'libvirt-hostdev-inventory/1');
  assert.deepEqual(snapshot.readiness.iommu.cmdline, ['intel_iommu=on', 'iommu=pt']);
  assert.equal(snapshot.readiness.vfPersistence['0000:0b:00.0'][0].file, 'etc/modprobe.d/igb.conf');
});

test("this machine's IOMMU as read over SSH agrees with qemu:///session starting a guest with a host PCI device", async () => {
  const transport = sshTransport();
  let groups: number;
  let problems;
  const xml = `<domain type='qemu'><name>${GUEST}</name><devices>\n${hostdevInterface(0, 1, 0, '52:54:00:4a:10:01')}\n</devices></domain>`;
  try {
    const { inventory } = await fetchInventory(transport, { host: 'this-machine', uri: 'qemu:///session', timeoutMs: 120_000 });
    groups = inventory.readiness!.iommu.groups;
    problems = validate(xml, { inventory }).filter((p) => p.code === 'host-iommu');
  } finally {
    transport.close();
  }
  assert.equal(groups, fs.readdirSync('/sys/kernel/iommu_groups').length);
  defineGuest(GUEST, hostdevInterface(0, 1, 0, '52:54:00:4a:10:01'));
  const start = vmVirsh(['start', '--domain', GUEST]);
  vmVirsh(['destroy', '--domain', GUEST]);
  if (groups === 0) {
    assert.notEqual(start.code, 0, 'libvirt started a guest with a host PCI device on a host without an IOMMU');
    assert.match(start.stderr, new RegExp(NO_IOMMU_ERROR.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.equal(problems.length, 1);
    assert.ok(problems[0].message.includes(`libvirt: "${NO_IOMMU_ERROR}"`), problems[0].message);
  } else {
    // with an IOMMU libvirt goes on to the device itself; host-iommu must stay silent
    assert.doesNotMatch(start.stderr, /host doesn't support passthrough/);
    assert.equal(problems.length, 0);
  }
});
