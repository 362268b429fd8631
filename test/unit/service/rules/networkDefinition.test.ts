// <network> documents (rules/networkDefinition.ts, rules/hostdevPoolDevices.ts, rules/networkHost.ts) and the VF rules of an
// <interface type='network'> on a hostdev pool (rules/networkInterface.ts). libvirt's own verdicts
// on the same XML are in test/integration/libvirt/networkDefinition.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from '../../../../server/src/service/validate';
import type { Inventory } from '../../../../server/src/service/types';
import { inventory82576, withNetworks } from './helpers';

function found(text: string, inventory?: Inventory, prefix = '') {
  return validate(text, inventory ? { inventory } : {})
    .filter((p) => p.code.startsWith(prefix) && p.code !== 'mac-missing')
    .map((p) => `${p.severity} ${p.code} ${text.slice(p.span.start, p.span.end)}`);
}

const pool = (forward: string, rest = '') =>
  `<network><name>pool9</name><forward mode='hostdev' managed='yes'>${forward}</forward>${rest}</network>`;
const addr = (bus: string, slot: string, fn: string) =>
  `<address type='pci' domain='0x0000' bus='${bus}' slot='${slot}' function='${fn}'/>`;

test('a correct pool of a PF or of VF addresses has no problem, without and with the host', () => {
  assert.deepEqual(
    found(pool("<pf dev='enp11s0f0'/>", "<portgroup name='blue' default='yes'><vlan><tag id='100'/></vlan></portgroup>")),
    [],
  );
  assert.deepEqual(found(pool("<pf dev='enp11s0f0'/>"), inventory82576()), []);
  assert.deepEqual(found(pool(addr('0x0b', '0x10', '0x6') + addr('0x0b', '0x11', '0x0')), inventory82576()), []);
});

test("the pool's shape: netdevs, two PFs, a PF without dev, no VF at all, a PF beside addresses", () => {
  assert.deepEqual(found(pool("<interface dev='enp11s16f0'/>")), ['error network-forward interface']);
  assert.deepEqual(found(pool("<pf dev='a'/><pf dev='b'/>")), ['error network-forward pf']);
  assert.deepEqual(found(pool('<pf/>')), ['error network-forward pf']);
  assert.deepEqual(found(pool('')), ['error network-forward forward']);
  assert.deepEqual(found(pool("<pf dev='a'/>" + addr('0x0b', '0x10', '0x2'))), ['warning network-forward pf']);
  const [empty] = validate(pool('')).filter((p) => p.code === 'network-forward');
  assert.match(
    empty.message,
    /the guest fails to start; libvirt: "internal error: network 'pool9' requires exclusive access to interfaces, but none are available"/,
  );
});

test("netdevs in a pool: the parser's own refusals (a <forward dev> unlike the first <interface>, one listed twice) come first", () => {
  const said = (forward: string) =>
    validate(`<network><name>pool9</name><forward mode='hostdev' ${forward}</forward></network>`).map(
      (p) => /libvirt: "(.*)"/.exec(p.message)?.[1],
    );
  assert.deepEqual(said("dev='a'><interface dev='b'/>"), [
    "XML error: <forward dev='a'> must match first <interface dev='b'/> in network pool9",
  ]);
  assert.deepEqual(said("><interface dev='a'/><interface dev='a'/>"), [
    "XML error: interface 'a' can only be listed once in network pool9",
  ]);
  assert.deepEqual(said("dev='a'><interface dev='a'/><interface dev='a'/>"), [
    "XML error: interface 'a' can only be listed once in network pool9",
  ]);
  assert.deepEqual(said("dev='a'><interface dev='a'/><interface/>"), [
    'XML error: Missing required dev attribute in <forward> <interface> element of network pool9',
  ]);
  assert.deepEqual(said("dev='a'><interface dev='a'/>"), [
    "unsupported configuration: hostdev network 'pool9' lists 'a' in the device pool, but hostdev networks require all devices to be listed by PCI address, not network device name",
  ]);
});

test('a portgroup with an empty name is refused as one without a name; a blank name is a name', () => {
  // net-define: name='' gives "Missing required name attribute in portgroup", name=' ' is defined
  const [p] = validate(pool("<pf dev='a'/>", "<portgroup name=''/>")).filter((x) => x.code === 'network-portgroups');
  assert.match(p.message, /net-define fails; libvirt: "XML error: Missing required name attribute in portgroup"/);
  assert.deepEqual(found(pool("<pf dev='a'/>", "<portgroup name=' '/>"), undefined, 'network-portgroups'), []);
});

test("<nat> in a pool's <forward> is refused, a second one with the parser's own words", () => {
  assert.deepEqual(found(pool("<pf dev='a'/><nat><port start='1024' end='65535'/></nat>")), ['error network-forward nat']);
  assert.match(
    validate(pool("<pf dev='a'/><nat/>"))[0].message,
    /net-define fails; libvirt: "XML error: The <nat> element can only be used when <forward> 'mode' is 'nat' in network pool9"/,
  );
  assert.match(
    validate(pool("<pf dev='a'/><nat/><nat/>"))[0].message,
    /libvirt: "XML error: Only one <nat> element is allowed in <forward> of network pool9"/,
  );
});

test('the bridge side of a network is refused in a pool, with net-define named as the step that fails', () => {
  const text = pool("<pf dev='a'/>", "<mac address='52:54:00:00:00:01'/><ip address='10.0.0.1' netmask='255.0.0.0'/><mtu size='9000'/>");
  assert.deepEqual(found(text), ['error network-element mac', 'error network-element ip', 'error network-element mtu']);
  for (const p of validate(text)) assert.match(p.message, / — net-define fails; libvirt: "/);
});

test("<bridge stp> or a non-zero <bridge delay> in a pool is refused; delay='0' and an empty stp are not", () => {
  assert.deepEqual(found(pool("<pf dev='a'/>", "<bridge stp='on' delay='0'/>")), ['error network-element on']);
  assert.deepEqual(found(pool("<pf dev='a'/>", "<bridge stp='off'/>")), ['error network-element off']);
  assert.deepEqual(found(pool("<pf dev='a'/>", "<bridge delay=' +5'/>")), ['error network-element  +5']);
  assert.deepEqual(found(pool("<pf dev='a'/>", "<bridge delay='0' stp=''/>")), []);
  assert.deepEqual(found(pool("<pf dev='a'/>", "<bridge delay=''/>")), []);
  const [stp] = validate(pool("<pf dev='a'/>", "<bridge stp='on'/>"));
  assert.match(
    stp.message,
    /net-define fails; libvirt: "XML error: bridge delay\/stp\/zone options only allowed in route, nat, and isolated mode, not in hostdev \(network 'pool9'\)"/,
  );
  for (const delay of ['0x5', '-1', '5 ', '18446744073709551616']) {
    const problems = validate(pool("<pf dev='a'/>", `<bridge delay='${delay}'/>`));
    assert.deepEqual(
      problems.map((p) => p.message.split(' — ')[1]),
      [`net-define fails; libvirt: "XML error: Invalid delay value in network 'pool9'"`],
      delay,
    );
  }
});

test('<mtu> in a pool: a size is refused, size 0 or empty is no MTU, a size that is no number is refused as such', () => {
  assert.deepEqual(found(pool("<pf dev='a'/>", "<mtu size='-5'/>")), ['error network-element mtu']);
  for (const size of ['0', '+0', '-0', '']) assert.deepEqual(found(pool("<pf dev='a'/>", `<mtu size='${size}'/>`)), [], size);
  for (const size of ['0x10', '9000 ', '4294967296']) {
    const problems = validate(pool("<pf dev='a'/>", `<mtu size='${size}'/>`));
    assert.deepEqual(
      problems.map((p) => p.message.split(' — ')[1]),
      [`net-define fails; libvirt: "XML error: Invalid mtu size '${size}' in network 'pool9'"`],
      size,
    );
  }
});

test('<bandwidth> in a pool or its portgroup: refused with a rate, not when the parser reads no <inbound>/<outbound>', () => {
  // net-define (qemu:///session) takes the empty ones and refuses the rates
  assert.deepEqual(found(pool("<pf dev='a'/>", "<bandwidth><inbound average='1000'/></bandwidth>")), ['error network-element bandwidth']);
  assert.deepEqual(found(pool("<pf dev='a'/>", "<portgroup name='g'><bandwidth><outbound average='10'/></bandwidth></portgroup>")), [
    'error network-portgroups bandwidth',
  ]);
  for (const empty of ['<bandwidth/>', '<bandwidth><foo/></bandwidth>']) {
    assert.deepEqual(found(pool("<pf dev='a'/>", empty)), [], empty);
    assert.deepEqual(found(pool("<pf dev='a'/>", `<portgroup name='g'>${empty}</portgroup>`)), [], empty);
  }
});

test("a pool's VLAN and virtualport follow the VF rules (one tag, no trunk, 802.1Qbh only, not both)", () => {
  assert.deepEqual(found(pool("<pf dev='a'/>", "<vlan trunk='yes'><tag id='1'/><tag id='2'/></vlan>"), undefined, 'vlan'), [
    'error vlan-trunk yes',
  ]);
  assert.deepEqual(found(pool("<pf dev='a'/>", "<virtualport type='openvswitch'/>"), undefined, 'virtualport'), [
    'error virtualport-type openvswitch',
  ]);
  assert.deepEqual(
    found(
      pool("<pf dev='a'/>", "<portgroup name='g'><vlan><tag id='5'/></vlan><virtualport type='802.1Qbh'/></portgroup>"),
      undefined,
      'vlan',
    ),
    ['error vlan-virtualport vlan'],
  );
});

test("a portgroup's own <virtualport> with a VLAN (its own or the network's) is refused at net-define, not at start", () => {
  const own = pool("<pf dev='a'/>", "<portgroup name='g'><vlan><tag id='5'/></vlan><virtualport type='802.1Qbh'/></portgroup>");
  const inherited = pool("<pf dev='a'/>", "<vlan><tag id='5'/></vlan><portgroup name='g'><virtualport type='802.1Qbh'/></portgroup>");
  assert.deepEqual(found(own, undefined, 'vlan'), ['error vlan-virtualport vlan']);
  assert.deepEqual(found(inherited, undefined, 'vlan'), ['error vlan-virtualport virtualport']);
  for (const text of [own, inherited]) {
    const [problem] = validate(text).filter((p) => p.code === 'vlan-virtualport');
    assert.match(
      problem.message,
      /net-define fails; libvirt: "unsupported configuration: <vlan> element specified for network pool9, whose type doesn't support vlan configuration"/,
    );
  }
  // the network's own <virtualport> with a portgroup's VLAN is defined and fails at start
  const networkPort = pool("<pf dev='a'/>", "<virtualport type='802.1Qbh'/><portgroup name='g'><vlan><tag id='5'/></vlan></portgroup>");
  const [atStart] = validate(networkPort).filter((p) => p.code === 'vlan-virtualport');
  assert.match(atStart.message, /the guest fails to start; libvirt: "direct setting of the vlan tag is not allowed/);
});

test('other networks are left alone: a NAT network with an IP and a bridge', () => {
  assert.deepEqual(
    found(
      "<network><name>default</name><forward mode='nat'/><bridge name='virbr0'/><ip address='192.168.122.1' netmask='255.255.255.0'/></network>",
    ),
    [],
  );
});

test('against the host: a <pf dev> that is missing, a VF, or a PF without VFs fails net-start', () => {
  const inv = inventory82576();
  assert.deepEqual(found(pool("<pf dev='nosuch0'/>"), inv), ['error network-pf nosuch0']);
  assert.deepEqual(found(pool("<pf dev='enp11s16f0'/>"), inv), ['error network-pf enp11s16f0']);
  const [p] = validate(pool("<pf dev='nosuch0'/>"), { inventory: inv }).filter((x) => x.code === 'network-pf');
  assert.match(
    p.message,
    /^No network device 'nosuch0' on host \S+ — net-start fails; libvirt: "internal error: No usable Vf's present on SRIOV PF nosuch0"\. PFs with VFs on \S+: 'enp11s0f0', 'enp11s0f1'\./,
  );
  // Linux allows a trailing '.' in an interface name: quoted, it cannot read as the full stop
  const dotted = inventory82576();
  dotted.devices.find((d) => d.netdev === 'enp11s0f1')!.netdev = 'enp11s0f1.';
  const [q] = validate(pool("<pf dev='nosuch0'/>"), { inventory: dotted }).filter((x) => x.code === 'network-pf');
  assert.match(q.message, /PFs with VFs on \S+: 'enp11s0f0', 'enp11s0f1\.'\.$/);
  const none = inventory82576();
  const pf = none.devices.find((d) => d.netdev === 'enp11s0f1')!;
  pf.numVfs = 0;
  none.devices = none.devices.filter((d) => d.pf !== pf.address);
  assert.deepEqual(found(pool("<pf dev='enp11s0f1'/>"), none), ['error network-pf enp11s0f1']);
});

test('against the host: runtime-only VFs of the pool PF are a vf-not-persistent warning', () => {
  const inv = inventory82576();
  inv.readiness = {
    iommu: { groups: 20, units: ['dmar0'], cmdline: ['intel_iommu=on'], interruptRemapping: 'supported' },
    kernelCmdline: 'intel_iommu=on',
    vfioPci: 'loaded',
    maxVfsDrivers: ['igb'],
    vfPersistence: {
      '0000:0b:00.0': [],
      '0000:0b:00.1': [{ mechanism: 'modprobe', file: 'etc/modprobe.d/igb.conf', detail: 'options igb max_vfs=7' }],
    },
    unreadable: [],
  };
  assert.deepEqual(found(pool("<pf dev='enp11s0f0'/>"), inv, 'vf-'), ['warning vf-not-persistent enp11s0f0']);
  assert.deepEqual(found(pool("<pf dev='enp11s0f1'/>"), inv, 'vf-'), []);
});

test('against the host: pool addresses that are no VF, or that a guest holds directly', () => {
  const inv = inventory82576();
  assert.deepEqual(found(pool(addr('0x0b', '0x00', '0x0') + addr('0x0c', '0x10', '0x0')), inv), [
    'error network-vf address',
    'error network-vf address',
  ]);
  // web01 runs with 0b:10.0; db01 (shut off) has 0b:10.2 in its config
  assert.deepEqual(found(pool(addr('0x0b', '0x10', '0x0') + addr('0x0b', '0x10', '0x2')), inv), [
    'error network-vf address',
    'warning network-vf address',
  ]);
  const [p] = validate(pool(addr('0x0b', '0x10', '0x0')), { inventory: inv }).filter((x) => x.code === 'network-vf');
  assert.match(p.message, /PCI device 0000:0b:10\.0 is in use by driver QEMU, domain web01/);
});

test('an all-zero pool address (or one with no numbers) is refused at net-define, without and with the host', () => {
  const said = (text: string, inventory?: Inventory) =>
    validate(text, inventory ? { inventory } : {})
      .filter((p) => p.code.startsWith('network-'))
      .map((p) => `${p.code} ${/libvirt: "(.*)"/.exec(p.message)?.[1]}`);
  const refusal =
    "network-address unsupported configuration: device '/sys/bus/pci/devices/0000:00:00.0' in network 'pool9' is not an SR-IOV Virtual Function";
  for (const address of [addr('0x00', '0x00', '0x0'), "<address type='pci'/>", "<address type='pci' domain='0' bus='0'/>"]) {
    assert.deepEqual(said(pool(address)), [refusal], address);
    assert.deepEqual(said(pool(address), inventory82576()), [refusal], address);
  }
  // bus 0 slot 0 with another function is an address like any other: the host decides
  assert.deepEqual(said(pool(addr('0x00', '0x00', '0x1'))), []);
});

test("<pf dev=''> in a pool: net-define takes it, net-start finds no PF of that name", () => {
  const [p, ...rest] = validate(pool("<pf dev=''/>"), { inventory: inventory82576() });
  assert.deepEqual(rest, []);
  assert.equal(`${p.severity} ${p.code}`, 'error network-forward');
  assert.match(p.message, /^<pf dev=''> names no PF — net-start fails; libvirt: "internal error: No usable Vf's present on SRIOV PF "\./);
});

const guest = (iface: string) => `<domain type='kvm'><name>web09</name><devices>${iface}</devices></domain>`;

test("<interface type='network'>: MAC syntax and multicast whatever the network, without an inventory too", () => {
  assert.deepEqual(found(guest("<interface type='network'><mac address='01:00:5e:00:00:01'/><source network='default'/></interface>")), [
    'error mac-multicast 01:00:5e:00:00:01',
  ]);
  assert.deepEqual(found(guest("<interface type='network'><mac address='52:54:00:zz:00:01'/><source network='x'/></interface>")), [
    'error mac-syntax 52:54:00:zz:00:01',
  ]);
  // no MAC on a NAT network: nothing to say; on a pool the VF's MAC changes at every start
  assert.deepEqual(
    validate(guest("<interface type='network'><source network='default'/></interface>"), { inventory: withNetworks() }).filter(
      (p) => p.code === 'mac-missing',
    ),
    [],
  );
  assert.equal(
    validate(guest("<interface type='network'><source network='sriov-pool'/></interface>"), { inventory: withNetworks() }).filter(
      (p) => p.code === 'mac-missing',
    ).length,
    1,
  );
});

test("<interface type='network'>: a <model type> that is no model name is refused at define, whatever the network", () => {
  const text = guest(
    "<interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/><model type='e1000e.1'/></interface>",
  );
  assert.deepEqual(found(text), ['error attribute-value e1000e.1']);
  assert.match(validate(text)[0].message, /libvirt: "invalid argument: Model name contains invalid characters"/);
  assert.deepEqual(found(guest("<interface type='network'><source network='default'/><model type='virtio'/></interface>")), []);
});

test("<interface type='network'> without <source> or without <source network> is refused at define, whatever the host", () => {
  const guest = (iface: string) => `<domain type='kvm'><name>g</name><devices>${iface}</devices></domain>`;
  const none = guest("<interface type='network'><mac address='52:54:00:00:00:01'/></interface>");
  const unnamed = guest("<interface type='network'><mac address='52:54:00:00:00:01'/><source portgroup='blue'/></interface>");
  for (const inventory of [undefined, withNetworks()]) {
    assert.deepEqual(found(none, inventory, 'source'), ['error source-missing interface']);
    assert.deepEqual(found(unnamed, inventory, 'source'), ['error source-missing source']);
  }
  assert.match(
    validate(none)[0].message,
    /define\/attach fails; libvirt: "XML error: interface type='network' requires a 'source' element"/,
  );
  assert.match(validate(unnamed)[0].message, /libvirt: "XML error: Missing required attribute 'network' in element 'source'"/);
  // an empty name is read (the start then finds no such network), a half-typed one is left alone
  assert.deepEqual(found(guest("<interface type='network'><source network=''/></interface>"), undefined, 'source'), []);
  assert.deepEqual(found(guest("<interface type='network'><source network/></interface>"), undefined, 'source'), []);
});

test("<interface type='network'> on a hostdev pool: VLAN trunk and virtualport types as for a VF; on a NAT network not", () => {
  const vlan = "<vlan><tag id='10'/><tag id='20'/></vlan>";
  const onPool = guest(`<interface type='network'><mac address='52:54:00:00:00:09'/><source network='sriov-pool'/>${vlan}</interface>`);
  assert.deepEqual(found(onPool, withNetworks(), 'vlan'), ['error vlan-trunk tag']);
  assert.deepEqual(found(onPool.replace('sriov-pool', 'default'), withNetworks(), 'vlan'), []);
  const ovs = guest(
    "<interface type='network'><mac address='52:54:00:00:00:09'/><source network='sriov-pool'/><virtualport type='openvswitch'/></interface>",
  );
  assert.deepEqual(found(ovs, withNetworks(), 'virtualport'), ['error virtualport-type openvswitch']);
  const [p] = validate(ovs, { inventory: withNetworks() }).filter((x) => x.code === 'virtualport-type');
  assert.match(
    p.message,
    /libvirt: "unsupported configuration: <virtualport type='openvswitch'> not supported for network 'sriov-pool' which uses an SR-IOV Virtual Function via PCI passthrough"/,
  );
  const qbg = ovs.replace("type='openvswitch'/>", "type='802.1Qbg'><parameters managerid='1' typeid='2' typeidversion='3'/></virtualport>");
  assert.deepEqual(found(qbg, withNetworks(), 'virtualport'), ['error virtualport-type 802.1Qbg']);
  // no type: the network supplies it; not an error of the interface
  assert.deepEqual(found(ovs.replace(" type='openvswitch'", ''), withNetworks(), 'virtualport'), []);
});
