import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLspciMachine } from '../../../server/src/inventory/parseLspci';
import { parseDomainXml, parseNetworkXml, parseVirshLists } from '../../../server/src/inventory/parseVirsh';
import { splitRecords } from '../../../server/src/inventory/records';

// `virsh -c qemu:///session dumpxml --inactive` of a guest after `attach-device --config`
// (libvirt 9.0): libvirt adds the guest-side <address> and formats numbers in hex.
const QEMU_DUMPXML = `<domain type='qemu'>
  <name>we&apos;ird $(touch lhd-pwned) ; &quot;q&quot; &amp; &lt;x&gt;</name>
  <uuid>84ec5cd6-e7e2-4f1f-bf5e-ef8cdcbafd3d</uuid>
  <memory unit='KiB'>65536</memory>
  <currentMemory unit='KiB'>65536</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type>
    <boot dev='hd'/>
  </os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='pci' index='0' model='pci-root'/>
    <interface type='hostdev' managed='yes'>
      <mac address='52:54:00:AA:00:01'/>
      <source>
        <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'/>
      </source>
      <vlan>
        <tag id='42'/>
      </vlan>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/>
    </interface>
    <interface type='network'>
      <mac address='52:54:00:00:00:99'/>
      <source network='default'/>
      <model type='virtio'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'/>
    </interface>
    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source>
        <address domain='0x0000' bus='0x3b' slot='0x02' function='0x1'/>
      </source>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>
    </hostdev>
    <hostdev mode='subsystem' type='usb' managed='yes'>
      <source><vendor id='0x1234'/><product id='0xbeef'/></source>
    </hostdev>
    <memballoon model='virtio'/>
  </devices>
</domain>
`;

test('domain XML: name with entities, hostdev interface and plain PCI hostdev by host address (not the guest-side one), all MACs', () => {
  const info = parseDomainXml(QEMU_DUMPXML);
  assert.ok(info);
  assert.equal(info.name, `we'ird $(touch lhd-pwned) ; "q" & <x>`);
  assert.equal(info.uuid, '84ec5cd6-e7e2-4f1f-bf5e-ef8cdcbafd3d');
  assert.deepEqual(info.devices, [
    { address: '0000:0b:10.0', element: 'interface', mac: '52:54:00:aa:00:01' },
    { address: '0000:3b:02.1', element: 'hostdev', mac: null },
  ]);
  assert.deepEqual(info.macs, ['52:54:00:aa:00:01', '52:54:00:00:00:99']);
});

test("domain XML: the networks <interface type='network'> names, each once, with the portgroups named on each; a pool's VF in a running guest's live XML names none", () => {
  assert.deepEqual(parseDomainXml(QEMU_DUMPXML)?.networks, ['default']);
  // `virsh dumpxml --inactive`: the pool by name, twice (two interfaces), beside a NAT network
  const config = parseDomainXml(`<domain type='kvm'><name>web03</name><devices>
    <interface type='network'><mac address='52:54:00:4d:7b:03'/><source network='sriov-pool' portgroup='blue'/><address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/></interface>
    <interface type='network'><mac address='52:54:00:4d:7b:04'/><source network='sriov-pool'/></interface>
    <interface type='network'><mac address='52:54:00:4d:7b:05'/><source network='default'/><model type='virtio'/></interface>
  </devices></domain>`);
  assert.deepEqual(config?.networks, ['sriov-pool', 'default']);
  // one pool VF per interface at start: the interfaces on each network are counted
  assert.deepEqual(
    [...config!.interfacesPerNetwork],
    [
      ['sriov-pool', 2],
      ['default', 1],
    ],
  );
  // the portgroups they name, per network, each once (a network none names one on is absent)
  assert.deepEqual([...config!.portgroupsPerNetwork], [['sriov-pool', ['blue']]]);
  // and the networks on which an entry names none (it takes the network's default portgroup)
  assert.deepEqual(config!.defaultPortgroupOn, ['sriov-pool', 'default']);
  // `virsh dumpxml` of the running guest: libvirt formats the VF the pool handed out as a hostdev
  // interface (virDomainNetDefFormat, the "actual" device in place of the configured one)
  const live = parseDomainXml(`<domain type='kvm' id='3'><name>web03</name><devices>
    <interface type='hostdev' managed='yes'><mac address='52:54:00:4d:7b:03'/><driver name='vfio'/><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x3'/></source><alias name='hostdev0'/><address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/></interface>
  </devices></domain>`);
  assert.deepEqual(live?.networks, []);
  assert.equal(live?.interfacesPerNetwork.size, 0);
  assert.equal(live?.portgroupsPerNetwork.size, 0);
  assert.deepEqual(live?.devices, [{ address: '0000:0b:10.3', element: 'interface', mac: '52:54:00:4d:7b:03' }]);
});

test('domain XML: a guest whose <metadata> nests as deep as libvirt keeps it (250 levels) is read, with its VF', () => {
  const deep = `<m:x xmlns:m="urn:x">${'<m:x>'.repeat(249)}${'</m:x>'.repeat(250)}`;
  const info = parseDomainXml(QEMU_DUMPXML.replace('</name>', `</name><metadata>${deep}</metadata>`));
  assert.ok(info, 'the guest is read');
  assert.deepEqual(
    info.devices.map((d) => d.address),
    ['0000:0b:10.0', '0000:3b:02.1'],
  );
});

test('domain XML: newlines (literal or &#10;), character references and surrounding spaces in a name are kept exactly', () => {
  // libvirt 9.0 refuses '\n' in domain names at define (virXMLCheckIllegalChars), but the parser
  // must not depend on that: a name is XML text, never a line of shell output.
  assert.equal(parseDomainXml('<domain><name> a&#10;b\nc &#x27;d </name><devices/></domain>')?.name, " a\nb\nc 'd ");
});

test('domain XML: decimal and octal numbers are read like libvirt (base 0) and canonicalised', () => {
  const info = parseDomainXml(`<domain><name>d</name><devices>
    <hostdev mode='subsystem' type='pci'><source><address bus='11' slot='020' function='3'/></source></hostdev>
  </devices></domain>`);
  assert.deepEqual(info?.devices, [{ address: '0000:0b:10.3', element: 'hostdev', mac: null }]);
});

test('domain XML: an absent bus, slot or function is 0, as libvirt and the rules read it; an all-zero or out-of-range address is none', () => {
  const info = parseDomainXml(`<domain><name>d</name><devices>
    <hostdev mode='subsystem' type='pci'><source><address slot='0x10' function='0x1'/></source></hostdev>
    <hostdev mode='subsystem' type='pci'><source><address domain='0' bus='0' slot='0' function='0'/></source></hostdev>
    <hostdev mode='subsystem' type='pci'><source><address bus='0x100' slot='0x10' function='0x1'/></source></hostdev>
  </devices></domain>`);
  assert.deepEqual(info?.devices, [{ address: '0000:00:10.1', element: 'hostdev', mac: null }]);
});

test('not a domain, or broken XML, gives null', () => {
  assert.equal(parseDomainXml(''), null);
  assert.equal(parseDomainXml('error: failed to get domain'), null);
  assert.equal(parseDomainXml('<network><name>x</name></network>'), null);
});

test('network XML: hostdev pool by <pf dev> and by explicit addresses; a NAT network is not a pool', () => {
  const pool = parseNetworkXml(`<network>
  <name>sriov-pool</name>
  <uuid>6695eb01-f6a4-8304-79aa-97f2502e2001</uuid>
  <forward mode='hostdev' managed='yes'>
    <pf dev='enp11s0f0'/>
    <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'/>
    <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x2'/>
  </forward>
</network>`);
  assert.deepEqual(pool, {
    name: 'sriov-pool',
    hostdev: true,
    addresses: ['0000:0b:10.0', '0000:0b:10.2'],
    pfDevs: ['enp11s0f0'],
    forwardMode: 'hostdev',
    managed: true,
    connections: null,
    portgroups: [],
    vlan: [],
    virtualport: null,
  });
  const nat = parseNetworkXml(`<network><name>default</name><forward mode='nat'/><bridge name='virbr0'/></network>`);
  assert.equal(nat?.hostdev, false);
});

test("network XML: the network's and each portgroup's <virtualport> type ('' for one without a type)", () => {
  const pool = parseNetworkXml(`<network>
  <name>qbh-pool</name>
  <forward mode='hostdev' managed='yes'><pf dev='enp11s0f0'/></forward>
  <virtualport type='802.1Qbh'><parameters profileid='finance'/></virtualport>
  <portgroup name='plain'><vlan><tag id='10'/></vlan></portgroup>
  <portgroup name='typeless'><virtualport/></portgroup>
</network>`);
  assert.equal(pool?.virtualport, '802.1Qbh');
  assert.deepEqual(pool?.portgroups, [
    { name: 'plain', vlan: [10] },
    { name: 'typeless', virtualport: '' },
  ]);
});

test('first virsh pass: UUID lists per section, error lines collected, exit code read', () => {
  const B = 'LHDtest0001';
  const out = [
    `${B} begin virsh1`,
    'error: failed to connect to the hypervisor',
    "error: Failed to connect socket to '/run/user/1000/libvirt/libvirt-sock': No such file or directory",
    `${B} list-active`,
    '6695eb01-f6a4-8304-79aa-97f2502e1001',
    '',
    `${B} list-persistent`,
    '6695eb01-f6a4-8304-79aa-97f2502e1001',
    '6695eb01-f6a4-8304-79aa-97f2502e1002',
    '',
    `${B} net-active`,
    '',
    `${B} net-all`,
    '6695eb01-f6a4-8304-79aa-97f2502e2001',
    '',
    `${B} rc virsh1 1`,
  ].join('\n');
  const lists = parseVirshLists(splitRecords(out, B));
  assert.deepEqual(lists.active, ['6695eb01-f6a4-8304-79aa-97f2502e1001']);
  assert.deepEqual(lists.persistent, ['6695eb01-f6a4-8304-79aa-97f2502e1001', '6695eb01-f6a4-8304-79aa-97f2502e1002']);
  assert.deepEqual(lists.netActive, []);
  assert.deepEqual(lists.netAll, ['6695eb01-f6a4-8304-79aa-97f2502e2001']);
  assert.equal(lists.errors.length, 2);
  assert.equal(lists.rc, 1);
  assert.equal(lists.ranCommands, true);
});

test('records: a line is a record only when it starts with the token and a space', () => {
  const B = 'LHDtest0002';
  const recs = splitRecords(`banner from .bashrc\n${B} begin x\n${B}x not a record\n  ${B} neither\n${B} end`, B);
  assert.deepEqual(
    recs.map((r) => r.tag),
    ['begin', 'end'],
  );
  assert.deepEqual(recs[0].body, [`${B}x not a record`, `  ${B} neither`]);
});

test('lspci -D -mm: product name per canonical address', () => {
  const names = parseLspciMachine(
    [
      '0000:0b:00.0 "Ethernet controller" "Intel Corporation" "82576 Gigabit Network Connection" -r01 "Intel Corporation" "Gigabit ET Dual Port Server Adapter"',
      '0000:0B:10.0 "Ethernet controller" "Intel Corporation" "82576 Virtual Function" -r01 "Intel Corporation" "Device 0000"',
      'garbage',
    ].join('\n'),
  );
  assert.equal(names.get('0000:0b:00.0'), '82576 Gigabit Network Connection');
  assert.equal(names.get('0000:0b:10.0'), '82576 Virtual Function');
  assert.equal(names.size, 2);
});
