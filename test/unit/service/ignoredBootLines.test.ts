// A PF whose only boot-time line makes no VF (readiness.vfIgnored: a module option its driver lacks, a
// keyfile NetworkManager refuses, a udev rule on the PCI add event): vf-not-persistent on a guest's VF
// and on a pool's <pf dev>, and the VF hover, name that line and why, not only "runtime only".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hover, validate } from '../../../server/src/service/index';
import type { Inventory, VfIgnoredSource } from '../../../server/src/service/types';
import { cursor, hostdevInterface, hostReadiness, inventory82576 } from './helpers';

const OPTION: VfIgnoredSource = {
  mechanism: 'modprobe',
  file: 'etc/modprobe.d/i40e.conf',
  detail: 'options i40e max_vfs=7',
  count: 7,
  reason: 'no-such-parameter',
};
const RULE: VfIgnoredSource = {
  mechanism: 'udev',
  file: 'etc/udev/rules.d/70-sriov.rules',
  detail: 'ACTION=="add", SUBSYSTEM=="pci", ATTR{sriov_numvfs}="7"',
  reason: 'before-driver',
};

function withIgnored(ignored: VfIgnoredSource[]): Inventory {
  const inventory = inventory82576();
  for (const d of inventory.devices) if (d.kind === 'pf') d.driver = 'i40e';
  inventory.readiness = hostReadiness({
    vfPersistence: { '0000:0b:00.0': [], '0000:0b:00.1': [] },
    vfIgnored: { '0000:0b:00.0': ignored },
  });
  return inventory;
}

const VF0 = "<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'/>";
const guest = `<domain type='kvm'><name>vm9</name><devices>${hostdevInterface(VF0)}</devices></domain>`;
const pool = (pf: string) => `<network><name>pool9</name><forward mode='hostdev' managed='yes'><pf dev='${pf}'/></forward></network>`;
const persistence = (text: string, inventory: Inventory) => validate(text, { inventory }).filter((p) => p.code === 'vf-not-persistent');

test("a guest's VF: the warning names the ignored boot line, why it makes no VF and its fix, instead of the generic fix", () => {
  const [p, ...rest] = persistence(guest, withIgnored([OPTION]));
  assert.deepEqual(rest, []);
  assert.match(p.message, /^VF 0000:0b:10\.0 was created at runtime: gone after a host reboot — /);
  assert.match(
    p.message,
    /The boot line that would make VFs makes none: modprobe\.d \(\/etc\/modprobe\.d\/i40e\.conf: options i40e max_vfs=7\): i40e has no max_vfs parameter, so the kernel loads it and ignores the option \("i40e: unknown parameter 'max_vfs' ignored"\)/,
  );
  assert.doesNotMatch(p.message, /To keep its/);
  // without an ignored line: the generic fix
  const [plain] = persistence(guest, withIgnored([]));
  assert.match(plain.message, /To keep its 7 VFs, /);
  assert.doesNotMatch(plain.message, /boot line/);
});

test("a pool's <pf dev>: the warning names the ignored lines; a PF without one keeps the generic fix", () => {
  const [p] = persistence(pool('enp11s0f0'), withIgnored([OPTION, RULE]));
  assert.match(p.message, /^The 7 VFs of PF 'enp11s0f0' were created at runtime: after a host reboot the pool is empty — net-start fails/);
  assert.match(
    p.message,
    /The boot lines that would make VFs make none: modprobe\.d .*; udev rule \(\/etc\/udev\/rules\.d\/70-sriov\.rules: .*\) runs on the PCI device's add event, before its driver binds/,
  );
  assert.doesNotMatch(p.message, /To keep them/);
  const [other] = persistence(pool('enp11s0f1'), withIgnored([OPTION, RULE]));
  assert.match(other.message, /To keep them, /);
});

test('the VF hover names the ignored boot line beside "runtime only"', () => {
  const { text, offset } = cursor(hostdevInterface("<address type='pci' bus='0x0b' slot='0x10' function='0x|0'/>"));
  const result = hover(text, offset, { inventory: withIgnored([RULE]) });
  assert.ok(result);
  const shown = result.contents.replace(/\\(.)/g, '$1');
  assert.ok(
    shown.includes(
      '**VFs created at runtime only: gone after a host reboot (udev rule (/etc/udev/rules.d/70-sriov.rules: ACTION=="add", SUBSYSTEM=="pci", ATTR{sriov_numvfs}="7") runs on the PCI device\'s add event',
    ),
    shown,
  );
});
