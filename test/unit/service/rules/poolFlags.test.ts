// A VF pool's yes/no attributes that libvirt reads as 'no' when misspelt, and an unmanaged pool whose VFs
// are not bound to vfio-pci (rules/poolFlags.ts). What net-define and net-dumpxml make of them was seen
// with virsh 9.0 on test:///default and qemu:///session (see the rule's header).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from '../../../../server/src/service/validate';
import type { Inventory } from '../../../../server/src/service/types';
import { inventory82576 } from './helpers';

const FLAG_CODES = new Set(['managed-value', 'network-portgroups', 'vf-driver', 'attribute-value']);

function found(text: string, inventory?: Inventory): string[] {
  return validate(text, inventory ? { inventory } : {})
    .filter((p) => FLAG_CODES.has(p.code))
    .map((p) => `${p.severity} ${p.code} ${text.slice(p.span.start, p.span.end)}`);
}

const network = (forwardAttributes: string, forward: string, rest = '') =>
  `<network><name>pool9</name><forward mode='hostdev'${forwardAttributes}>${forward}</forward>${rest}</network>`;
const addr = (slot: string, fn: string) => `<address type='pci' domain='0x0000' bus='0x0b' slot='${slot}' function='${fn}'/>`;

test("trustGuestRxFilters of a pool or a portgroup that is not exactly 'yes' or 'no' refuses the network (net-define)", () => {
  const pool = (attributes: string, rest = '') =>
    `<network${attributes}><name>pool9</name><forward mode='hostdev'><pf dev='a'/></forward>${rest}</network>`;
  assert.deepEqual(found(pool(" trustGuestRxFilters='maybe'")), ['error attribute-value maybe']);
  assert.deepEqual(found(pool('', "<portgroup name='g' trustGuestRxFilters='YES'/>")), ['error attribute-value YES']);
  assert.deepEqual(found(pool('', "<portgroup name='g' trustGuestRxFilters=''/>")), ['error attribute-value trustGuestRxFilters']);
  const [network] = validate(pool(" trustGuestRxFilters='maybe'")).filter((p) => p.code === 'attribute-value');
  assert.match(
    network.message,
    /net-define fails; libvirt: "XML error: Invalid value for attribute 'trustGuestRxFilters' in element 'network': 'maybe'\."$/,
  );
  const [portgroup] = validate(pool('', "<portgroup name='g' trustGuestRxFilters='YES'/>")).filter((p) => p.code === 'attribute-value');
  assert.match(portgroup.message, /in element 'portgroup': 'YES'\."\. Write 'yes': libvirt reads it case-sensitively\.$/);
  assert.deepEqual(found(pool(" trustGuestRxFilters='yes'", "<portgroup name='g' trustGuestRxFilters='no'/>")), []);
});

test("a pool's managed or a portgroup's default that is not yes/no is a warning: libvirt reads it as 'no'", () => {
  assert.deepEqual(found(network(" managed='maybe'", "<pf dev='enp11s0f0'/>")), ['warning managed-value maybe']);
  assert.deepEqual(found(network(" managed='yes'", "<pf dev='a'/>", "<portgroup name='x' default='maybe'/>")), [
    'warning network-portgroups maybe',
  ]);
  const [p] = validate(network(" managed='maybe'", "<pf dev='a'/>")).filter((x) => x.code === 'managed-value');
  assert.match(p.message, /libvirt reads anything but 'yes' as managed='no'/);
});

test('yes and no in any case are what libvirt reads (its comparison ignores case), and an absent value says nothing', () => {
  assert.deepEqual(found(network(" managed='YES'", "<pf dev='a'/>", "<portgroup name='x' default='Yes'/>")), []);
  assert.deepEqual(found(network(" managed='no'", "<pf dev='a'/>", "<portgroup name='x' default='NO'/>")), []);
  assert.deepEqual(found(network('', "<pf dev='a'/>", "<portgroup name='x'/>")), []);
});

test('an unmanaged pool of a PF whose VFs are not bound to vfio-pci fails at guest start: a warning with the host', () => {
  const text = network('', "<pf dev='enp11s0f0'/>");
  assert.deepEqual(found(text), []);
  assert.deepEqual(found(text, inventory82576()), ['warning vf-driver forward']);
  const [p] = validate(text, { inventory: inventory82576() }).filter((x) => x.code === 'vf-driver');
  // 0000:0b:10.0 is already on vfio-pci; the PF's six other VFs are on igbvf
  assert.match(p.message, /^Unmanaged pool with 6 of 7 VFs not on vfio-pci — /);
  assert.match(p.message, /0000:0b:10\.2 \(igbvf\), 0000:0b:10\.4 \(igbvf\), 0000:0b:10\.6 \(igbvf\) and 3 more/);
  assert.match(p.message, /libvirt: "Unmanaged PCI device 0000:0b:10\.2 must be manually detached from the host"/);
  assert.match(p.message, /add managed='yes'/);
  assert.deepEqual(found(network(" managed='no'", "<pf dev='enp11s0f0'/>"), inventory82576()), ['warning vf-driver no']);
  assert.deepEqual(found(network(" managed='yes'", "<pf dev='enp11s0f0'/>"), inventory82576()), []);
});

test('an unmanaged pool of listed VFs is checked on those VFs only: all on vfio-pci is fine', () => {
  assert.deepEqual(found(network('', addr('0x10', '0x0')), inventory82576()), []);
  assert.deepEqual(found(network('', addr('0x10', '0x0') + addr('0x10', '0x2')), inventory82576()), ['warning vf-driver forward']);
  const [p] = validate(network('', addr('0x10', '0x0') + addr('0x10', '0x2')), { inventory: inventory82576() }).filter(
    (x) => x.code === 'vf-driver',
  );
  assert.match(p.message, /^Unmanaged pool with 1 of 2 VFs not on vfio-pci — [^]*On host '[^']+': 0000:0b:10\.2 \(igbvf\)\. /);
});
