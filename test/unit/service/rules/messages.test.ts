// Every diagnostic message leads with the problem in the user's terms: a Problems row is cut at the
// panel's width, so the words that name the problem come first and "when libvirt fails" and libvirt's
// own text come after a dash. Swept over the whole corpus (with the 82576 inventory) and the examples.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { validate } from '../../../../server/src/service/validate';
import type { DiagnosticCode, Problem } from '../../../../server/src/service/types';
import { MAC, countedPoolGuest, inventory82576, withNetworks } from './helpers';
import { MAX_DOCUMENT_CHARS } from '../../../../server/src/service/model';

/**
 * Every code a rule reports (the compiler keeps this list complete); inventory-unavailable comes from
 * the LSP layer, not-libvirt from the CLI's check (test/unit/cli/check.test.ts).
 */
const RULE_CODES: Record<Exclude<DiagnosticCode, 'inventory-unavailable' | 'not-libvirt'>, true> = {
  'xml-syntax': true,
  'document-size': true,
  'disable-comment': true,
  'source-missing': true,
  'source-address-type': true,
  'pci-number': true,
  'pci-range': true,
  'pci-octal': true,
  'pci-decimal': true,
  'pci-zero': true,
  'pci-duplicate': true,
  'hostdev-duplicate': true,
  'hostdev-options': true,
  'mac-syntax': true,
  'mac-multicast': true,
  'mac-zero': true,
  'mac-missing': true,
  'mac-duplicate': true,
  'vlan-tag': true,
  'vlan-trunk': true,
  'vlan-native-mode': true,
  'vlan-virtualport': true,
  'virtualport-type': true,
  'virtualport-parameters': true,
  'driver-name': true,
  'element-unsupported': true,
  'element-ignored': true,
  'managed-value': true,
  'attribute-value': true,
  'guest-address-type': true,
  'controller-index': true,
  'address-multifunction': true,
  teaming: true,
  rom: true,
  'boot-order-duplicate': true,
  'alias-duplicate': true,
  'guest-address-duplicate': true,
  zpci: true,
  'boot-order': true,
  'acpi-index': true,
  'device-type': true,
  'default-namespace': true,
  'memlock-limit': true,
  'domain-name': true,
  'memory-size': true,
  'pci-unknown': true,
  'pci-not-vf': true,
  'vf-in-use': true,
  'vf-in-network': true,
  'iommu-group': true,
  'vf-driver': true,
  'host-iommu': true,
  'vf-not-persistent': true,
  'network-unknown': true,
  'network-inactive': true,
  'network-pool-exhausted': true,
  'network-portgroup': true,
  'portgroup-in-use': true,
  'portgroup-vlan-changed': true,
  'network-name': true,
  'network-forward': true,
  'network-address': true,
  'network-element': true,
  'network-portgroups': true,
  'network-pf': true,
  'network-vf': true,
  'uuid-taken': true,
};

/** An 82576 host without an IOMMU and with runtime-only VFs: reaches the readiness rules. */
function unreadyHost() {
  const inv = inventory82576();
  const pfs = inv.devices.filter((d) => d.kind === 'pf').map((d) => [d.address, []]);
  inv.readiness = {
    iommu: { groups: 0, units: [], cmdline: [], interruptRemapping: 'unknown' },
    kernelCmdline: 'ro quiet',
    vfioPci: 'missing',
    maxVfsDrivers: [],
    vfPersistence: Object.fromEntries(pfs),
    unreadable: [],
  };
  return inv;
}

/** The rules no corpus case reaches. */
const EXTRA = [
  `<domain>${' '.repeat(MAX_DOCUMENT_CHARS)}</domain>`,
  `<devices>${['0x10', '0x11'].map((slot) => `<interface type='hostdev' managed='yes'>${MAC}<source><address type='pci' domain='0x0000' bus='0x0b' slot='${slot}'/></source></interface>`).join('')}</devices>`,
  `<interface type='hostdev' managed='yes'>${MAC}<source><address type='pci' bus='0x0b'/></source></interface>`,
  "<network><name>p</name><forward mode='hostdev'><pf dev='nosuch0'/></forward></network>",
  "<network><name>p</name><forward mode='hostdev'><address type='pci' domain='0' bus='0x0b' slot='0' function='0'/></forward></network>",
  `<interface xmlns='http://libvirt.org/schemas/domain/1.0' type='hostdev'>${MAC}<source><address type='pci' bus='0x0b' slot='0x10'/></source></interface>`,
  `<!-- libvirt-hostdev-disable-next-line mac-multicas -->\n<interface type='hostdev'><mac address='01:00:5e:00:00:01'/></interface>`,
];

const root = resolve(__dirname, '../../../../..');

function sweep(): Problem[] {
  const texts: string[] = [];
  const corpus = join(root, 'test/fixtures/corpus');
  for (const dir of ['reject', 'accept-fails-at-start', 'accept-starts']) {
    for (const file of readdirSync(join(corpus, dir))) texts.push(readFileSync(join(corpus, dir, file), 'utf8'));
  }
  const networks = join(root, 'test/fixtures/network-corpus');
  for (const dir of ['reject', 'fails-at-start', 'accept']) {
    for (const file of readdirSync(join(networks, dir))) texts.push(readFileSync(join(networks, dir, file), 'utf8'));
  }
  for (const file of readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.xml')))
    texts.push(readFileSync(join(root, 'examples', file), 'utf8'));
  texts.push(...EXTRA);
  return [
    ...texts.flatMap((text) => validate(text, { inventory: inventory82576() })),
    ...EXTRA.flatMap((text) => validate(text, { inventory: unreadyHost() })),
    ...validate(
      `<domain><name>web09</name><devices>${[
        "network='nosuch'",
        "network='idle-pool'",
        "network='default'",
        "network='sriov-pool' portgroup='red'",
        "network='sriov-pool'",
      ]
        .map((s) => `<interface type='network'><source ${s}/></interface>`)
        .join('')}</devices></domain>`,
      { inventory: withNetworks() },
    ),
    ...validate('<domain><name>web09</name></domain>', {
      inventory: {
        ...withNetworks(),
        guests: [{ ...countedPoolGuest('web09', 'shut off', {}), uuid: 'a1b2c3d4-0000-4000-8000-000000000001' }],
      },
    }),
    ...validate("<network><name>sriov-pool</name><forward mode='hostdev'><pf dev='enp11s0f0'/></forward></network>", {
      inventory: {
        ...withNetworks(),
        guests: [{ ...countedPoolGuest('web09', 'shut off', { 'sriov-pool': 1 }), portgroupsPerNetwork: { 'sriov-pool': ['blue'] } }],
      },
    }),
    ...validate("<network><name>sriov-pool</name><forward mode='hostdev'><pf dev='enp11s0f0'/></forward></network>", {
      inventory: {
        ...withNetworks(),
        guests: [{ ...countedPoolGuest('web09', 'shut off', { 'sriov-pool': 1 }), defaultPortgroupOn: ['sriov-pool'] }],
      },
    }),
    ...validate(
      "<network><name>sriov-pool</name><forward mode='hostdev'><pf dev='enp11s0f0'/></forward><portgroup name='blue' default='yes'><vlan><tag id='200'/></vlan></portgroup></network>",
      {
        inventory: {
          ...withNetworks(),
          guests: [{ ...countedPoolGuest('web09', 'shut off', { 'sriov-pool': 1 }), portgroupsPerNetwork: { 'sriov-pool': ['blue'] } }],
        },
      },
    ),
  ];
}

const OLD_PREFIXES = ['libvirt rejects this at define/attach', 'libvirt accepts this with --config'];
/** the widest lead a Problems row at ~1,400 px still shows next to the code and position */
const MAX_LEAD = 80;

test('messages: the first words name the problem; when libvirt fails and its own text come after the dash', () => {
  const problems = sweep();
  const codes = new Set(problems.map((p) => p.code));
  assert.deepEqual(
    Object.keys(RULE_CODES).filter((c) => !codes.has(c as DiagnosticCode)),
    [],
    'the sweep reaches every rule',
  );
  for (const { code, message } of problems) {
    for (const prefix of OLD_PREFIXES) assert.ok(!message.startsWith(prefix), `${code} starts with the old prefix: ${message}`);
    assert.ok(!/^libvirt\b/i.test(message), `${code} starts with "libvirt" instead of the problem: ${message}`);
    if (code === 'xml-syntax') continue;
    const dash = message.indexOf(' — ');
    assert.ok(dash > 0, `${code} has no problem lead before " — ": ${message}`);
    assert.ok(dash <= MAX_LEAD, `${code}'s lead is ${dash} characters: ${message}`);
    const quoted = message.indexOf('libvirt: "');
    if (quoted >= 0) assert.ok(quoted > dash, `${code} quotes libvirt before naming the problem: ${message}`);
  }
});

test("messages: rejects/failsAtStart keep libvirt's text verbatim and say when it fails", () => {
  const byCode = new Map(sweep().map((p) => [p.code, p.message]));
  assert.match(
    byCode.get('vlan-virtualport')!,
    /^VLAN and <virtualport> together — the guest fails to start; libvirt: "direct setting of the vlan tag is not allowed for hostdev devices using 802\.1Qbh mode"/,
  );
  assert.match(
    byCode.get('pci-duplicate')!,
    /^Host PCI address \S+ is assigned 2 times in this document — define\/attach fails; libvirt: "XML error: Hostdev already exists in the domain configuration"/,
  );
});
