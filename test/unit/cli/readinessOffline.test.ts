// `libvirt-hostdev readiness --inventory FILE`: the guide's host checks over a saved snapshot, with when
// it was taken; the exit status of the live command (1 when a check fails).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { HostReadiness, Inventory } from '../../../shared/snapshot';
import type { ReadinessCheck } from '../../../shared/readiness';
import { runCli } from '../../support/cli';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-readiness-offline-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const example = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../examples/82576-inventory.json'), 'utf8')) as Inventory;

/** the example host with an IOMMU of `groups` groups (0: none active, step 1 fails) and VFs a boot recreates */
function snapshot(name: string, groups: number): string {
  const pfs = example.devices.filter((d) => d.kind === 'pf').map((d) => d.address);
  const readiness: HostReadiness = {
    iommu: { groups, units: groups > 0 ? ['dmar0'] : [], cmdline: groups > 0 ? ['intel_iommu=on'] : [], interruptRemapping: 'supported' },
    kernelCmdline: 'BOOT_IMAGE=/vmlinuz',
    vfioPci: 'loaded',
    maxVfsDrivers: ['igb'],
    vfPersistence: Object.fromEntries(
      pfs.map((pf) => [
        pf,
        [{ mechanism: 'modprobe' as const, file: 'etc/modprobe.d/igb.conf', detail: 'options igb max_vfs=7', count: 7 }],
      ]),
    ),
    unreadable: [],
  };
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify({ ...example, readiness }));
  return file;
}

test('readiness --inventory checks the snapshot: its host, when it was taken, each step; exit 0 without a FAIL', async () => {
  const r = await runCli(['readiness', '--inventory', snapshot('ready.json', 42)]);
  assert.equal(r.code, 0, r.stderr);
  const [title, readAt] = r.stdout.split('\n');
  assert.equal(title, "Readiness of 'kvm-82576.example.com' for SR-IOV VF assignment:");
  assert.match(readAt, /^\(inventory taken \d+ days ago\)$/);
  assert.match(r.stdout, /^ {2}1a\. IOMMU enabled .* +: PASS$/m);
  assert.match(r.stdout, /^ {2}5\. VFs recreated at boot .* +: PASS$/m);
});

test('readiness --inventory exits 1 when a check fails, and --format json gives the checks with the snapshot time', async () => {
  const file = snapshot('no-iommu.json', 0);
  const text = await runCli(['readiness', '--inventory', file]);
  assert.equal(text.code, 1);
  assert.match(text.stdout, /^ {2}1\. IOMMU enabled .* +: FAIL$/m);
  const json = await runCli(['readiness', '--inventory', file, '--format', 'json']);
  assert.equal(json.code, 1);
  const report = JSON.parse(json.stdout) as { host: string; takenAt: string; checks: ReadinessCheck[] };
  assert.deepEqual({ host: report.host, takenAt: report.takenAt }, { host: 'kvm-82576.example.com', takenAt: example.takenAt });
  assert.equal(report.checks.find((c) => c.id === 'iommu')?.status, 'fail');
});

test('readiness: --inventory with --host, and a file that is no snapshot, exit 2 with the reason', async () => {
  const both = await runCli(['readiness', '--inventory', snapshot('x.json', 1), '--host', 'local']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--inventory and --host cannot be used together/);
  const bad = path.join(tmp, 'bad.json');
  fs.writeFileSync(bad, '{"format": "something else"}');
  const notSnapshot = await runCli(['readiness', '--inventory', bad]);
  assert.equal(notSnapshot.code, 2);
  assert.match(notSnapshot.stderr, /bad\.json/);
  assert.equal(notSnapshot.stdout, '');
  const none = await runCli(['readiness']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /--host/);
});
