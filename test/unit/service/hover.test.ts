import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hover } from '../../../server/src/service/index';
import { context82576, cursor, hostdevInterface, inventory82576 } from './helpers';

function hoverAt(marked: string, ctx = {}) {
  const { text, offset } = cursor(marked);
  return { text, result: hover(text, offset, ctx) };
}

const spanText = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

describe('hover on a host address', () => {
  it('gives the canonical address and reads decimal bus 11 as 0x0b, spanning the hovered value', () => {
    const { text, result } = hoverAt(hostdevInterface("<address type='pci' domain='0x0000' bus='1|1' slot='0x10' function='0'/>"));
    assert.ok(result);
    assert.match(result.contents, /`0000:0b:10\.0`/);
    assert.match(result.contents, /`bus='11'` decimal 11 = `0x0b`/);
    assert.match(result.contents, /`slot='0x10'` hex = 16/);
    assert.equal(spanText(text, result.span), '11');
  });

  it('on an attribute name (or its = and quotes) spans the whole attribute, so the range holds the cursor', () => {
    for (const marked of ["b|us='11'", "bus|='11'", "bus=|'11'"]) {
      const { text, offset } = cursor(hostdevInterface(`<address type='pci' domain='0x0000' ${marked} slot='0x10' function='0'/>`));
      const result = hover(text, offset, {});
      assert.ok(result, marked);
      assert.equal(spanText(text, result.span), "bus='11'", marked);
      assert.ok(result.span.start <= offset && offset <= result.span.end, marked);
    }
  });

  it('reads a leading zero as octal: 011 is 9', () => {
    const { result } = hoverAt(hostdevInterface("<add|ress type='pci' domain='0' bus='011' slot='0x10' function='0'/>"));
    assert.ok(result);
    assert.match(result.contents, /`bus='011'` \*\*octal\*\* \(leading zero\) = 9 = `0x09`/);
    assert.match(result.contents, /`0000:09:10\.0`/);
  });

  it('on the element name spans the name and treats an absent domain as 0', () => {
    const { text, result } = hoverAt(hostdevInterface("<addr|ess type='pci' bus='0x0b' slot='0x10' function='0x4'/>"));
    assert.ok(result);
    assert.equal(spanText(text, result.span), 'address');
    assert.match(result.contents, /`domain` absent → 0/);
    assert.match(result.contents, /`0000:0b:10\.4`/);
  });

  it('says when a number is not one libvirt reads', () => {
    const { result } = hoverAt(hostdevInterface("<address type='pci' domain='0' bus='0|b' slot='0x10' function='0'/>"));
    assert.ok(result);
    assert.match(result.contents, /not a number libvirt reads/);
  });

  it('gives no canonical address for an out-of-range number, as the pci-range rule says', () => {
    const { result } = hoverAt(hostdevInterface("<address type='pci' domain='0' bus='0x1|00' slot='0x10' function='0'/>"));
    assert.ok(result);
    assert.match(result.contents, /\*\*Host PCI address\*\* \(not readable as written\)/);
    assert.doesNotMatch(result.contents, /0000:100:/);
  });

  it('with an inventory: VF index, PF, product, driver, IOMMU group, NUMA node, free, host and age', () => {
    const { result } = hoverAt(
      hostdevInterface("<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x|6'/>"),
      context82576(),
    );
    assert.ok(result);
    assert.match(result.contents, /\*\*VF 3\*\* of PF `0000:0b:00\.0` \('enp11s0f0', igb\)/);
    assert.match(result.contents, /Intel 82576 Virtual Function \(`8086:10ca`\)/);
    assert.match(result.contents, /driver `igbvf`/);
    assert.match(result.contents, /NUMA node 0/);
    assert.match(result.contents, /IOMMU group 26: this device only/);
    assert.match(result.contents, /PF reports for VF 3: MAC `00:00:00:00:00:00`, no VLAN, spoofchk on, trust off/);
    assert.match(result.contents, /Free: no guest uses it/);
    assert.match(result.contents, /Inventory of 'kvm1', taken 5 min ago/);
  });

  it('names the guest that uses the VF, live and persistent, and the admin VLAN the PF reports', () => {
    const { result } = hoverAt(
      hostdevInterface("<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x|0'/>"),
      context82576(),
    );
    assert.ok(result);
    assert.match(result.contents, /Used by \*\*'web01'\*\* \(running; live \+ persistent\)/);
    assert.match(result.contents, /MAC `52:54:00:aa:00:01`, VLAN 42/);
    assert.match(result.contents, /driver `vfio-pci`/);
  });

  it("marks the use by the document's own guest", () => {
    const marked = `<domain type='kvm'>\n<name>web01</name>\n<devices>\n${hostdevInterface("<address type='pci' bus='0x0b' slot='0x10' function='0x|0'/>")}</devices>\n</domain>\n`;
    const { result } = hoverAt(marked, context82576());
    assert.ok(result);
    assert.match(result.contents, /\*\*'web01'\*\* \(running; live \+ persistent, this document\)/);
  });

  it('names a guest that holds the VF only in its persistent config', () => {
    const { result } = hoverAt(hostdevInterface("<address type='pci' bus='0x0b' slot='0x10' function='0x|2'/>"), context82576());
    assert.ok(result);
    assert.match(result.contents, /\*\*'db01'\*\* \(shut off; persistent\)/);
  });

  it('shows network pool membership', () => {
    const { result } = hoverAt(hostdevInterface("<address type='pci' bus='0x0b' slot='0x10' function='0x|1'/>"), context82576());
    assert.ok(result);
    assert.match(result.contents, /Not free: in network 'sriov-pool'/);
    assert.match(result.contents, /In network pool `sriov-pool` \(active\)/);
    assert.match(result.contents, /\*\*VF 0\*\* of PF `0000:0b:00\.1` \('enp11s0f1', igb\)/);
  });

  it('says so for a PF and lists its IOMMU group members', () => {
    const { result } = hoverAt(hostdevInterface("<address type='pci' bus='0x0b' slot='0x00' function='0x|0'/>"), context82576());
    assert.ok(result);
    assert.match(result.contents, /\*\*PF\*\* 'enp11s0f0': 7 of 7 VFs enabled/);
    assert.match(result.contents, /not a VF/);
    assert.match(result.contents, /IOMMU group 14: shared with `0000:0b:00\.1`/);
  });

  it('says when the address is not on the host', () => {
    const { result } = hoverAt(hostdevInterface("<address type='pci' bus='0x0b' slot='0x12' function='0x|0'/>"), context82576());
    assert.ok(result);
    assert.match(result.contents, /Not on host 'kvm1'/);
  });

  it('works on a plain <hostdev>', () => {
    const marked =
      "<hostdev mode='subsystem' type='pci' managed='yes'>\n  <source>\n    <address domain='0x0000' bus='0x0b' slot='0x00' function='0x|1'/>\n  </source>\n</hostdev>\n";
    const { result } = hoverAt(marked, context82576());
    assert.ok(result);
    assert.match(result.contents, /`0000:0b:00\.1`/);
    assert.match(result.contents, /\*\*PF\*\* 'enp11s0f1'/);
  });

  it('gives nothing for the guest-side address or outside a device', () => {
    const guestSide = hostdevInterface(
      "<address type='pci' bus='0x0b' slot='0x10' function='0x0'/>",
      "  <address type='pci' domain='0x0000' bus='0x00' slot='0x0|7' function='0x0'/>\n",
    );
    assert.equal(hoverAt(guestSide).result, null);
    assert.equal(hoverAt("<interface type='network'>\n  <source net|work='default'/>\n</interface>").result, null);
    assert.equal(hoverAt('<domain><na|me>x</name></domain>').result, null);
  });
});

describe('hover on <mac>', () => {
  it('normalises the MAC and tells unicast, locally administered and the default prefix', () => {
    const marked =
      "<interface type='hostdev'>\n  <mac address='52:5|4:0:6d:9:2'/>\n  <source><address type='pci' bus='0x0b' slot='0x10' function='0x4'/></source>\n</interface>";
    const { text, result } = hoverAt(marked);
    assert.ok(result);
    assert.match(result.contents, /`52:54:00:6d:09:02` \(normalised from `52:54:0:6d:9:2`\)/);
    assert.match(result.contents, /unicast · locally administered/);
    assert.equal(spanText(text, result.span), '52:54:0:6d:9:2');
  });

  it('on a <mac> inside a plain <hostdev> says libvirt drops it (as element-ignored does)', () => {
    const { result } = hoverAt(
      "<hostdev mode='subsystem' type='pci' managed='yes'>\n  <source><address domain='0' bus='0x0b' slot='0x10' function='0x4'/></source>\n  <mac address='52:54:00:1a:2b:|3c'/>\n</hostdev>\n",
    );
    assert.ok(result);
    assert.match(result.contents, /drops <mac> inside <hostdev>/);
  });

  it('flags a multicast MAC', () => {
    const { result } = hoverAt("<interface type='hostdev'>\n  <m|ac address='01:00:5e:00:00:01'/>\n</interface>");
    assert.ok(result);
    assert.match(result.contents, /\*\*multicast\*\*: libvirt rejects it/);
    assert.match(result.contents, /universally administered/);
  });

  it("names other guests of the inventory with the same MAC, not the document's own guest", () => {
    const doc = (name: string) =>
      `<domain><name>${name}</name><devices>\n<interface type='hostdev'>\n  <mac address='52:54:00:aa:0|0:01'/>\n</interface>\n</devices></domain>`;
    const other = hoverAt(doc('db01'), context82576()).result;
    assert.ok(other);
    assert.match(other.contents, /Also used by guest \*\*'web01'\*\* on 'kvm1'/);
    const own = hoverAt(doc('web01'), context82576()).result;
    assert.ok(own);
    assert.match(own.contents, /No other guest on 'kvm1' uses it/);
  });

  it('says libvirt cannot parse a malformed MAC', () => {
    const { result } = hoverAt("<interface type='hostdev'>\n  <mac address='52-54|-00-6d-90-02'/>\n</interface>");
    assert.ok(result);
    assert.match(result.contents, /cannot parse/);
  });
});

describe('hover on <vlan> and <virtualport>', () => {
  it('states the one-tag, no-trunk, no-virtualport rule for VFs', () => {
    const { text, result } = hoverAt(
      hostdevInterface("<address type='pci' bus='0x0b' slot='0x10' function='0x4'/>", "  <vl|an>\n    <tag id='42'/>\n  </vlan>\n"),
    );
    assert.ok(result);
    assert.match(result.contents, /exactly one `<tag id='0\.\.4095'\/>`/);
    assert.match(result.contents, /vlan trunking is not supported by SR-IOV network devices/);
    assert.match(result.contents, /not together with `<virtualport>`/);
    assert.match(result.contents, /Here: tag `42`/);
    assert.equal(spanText(text, result.span), 'vlan');
  });

  it('on a <tag> shows the same rule with every tag and trunk', () => {
    const { result } = hoverAt(
      hostdevInterface(
        "<address type='pci' bus='0x0b' slot='0x10' function='0x4'/>",
        "  <vlan trunk='yes'>\n    <tag i|d='42'/>\n    <tag id='43'/>\n  </vlan>\n",
      ),
    );
    assert.ok(result);
    assert.match(result.contents, /Here: tags `42`, `43`, trunk='yes'/);
  });

  it("shows trunk='YES' as the trunk it is to libvirt (read case-insensitively)", () => {
    const { result } = hoverAt(
      hostdevInterface(
        "<address type='pci' bus='0x0b' slot='0x10' function='0x4'/>",
        "  <vl|an trunk='YES'>\n    <tag id='42'/>\n  </vlan>\n",
      ),
    );
    assert.ok(result);
    assert.match(result.contents, /Here: tag `42`, trunk='yes'/);
  });

  it('states that only 802.1Qbh works on a VF', () => {
    const { result } = hoverAt(
      hostdevInterface("<address type='pci' bus='0x0b' slot='0x10' function='0x4'/>", "  <virtualport type='open|vswitch'/>\n"),
    );
    assert.ok(result);
    assert.match(result.contents, /only `type='802\.1Qbh'` works/);
    assert.match(result.contents, /Here: type `openvswitch`/);
  });
});

describe('hover with the shared 82576 snapshot (test/fixtures/inventory/82576.json)', () => {
  const ctx = () => ({ inventory: inventory82576(), now: new Date('2026-11-25T14:00:00.000Z') });

  it('lists the other member of a shared IOMMU group and the age in hours', () => {
    const { result } = hoverAt(hostdevInterface("<address type='pci' bus='0x0b' slot='0x11' function='0x|4'/>"), ctx());
    assert.ok(result);
    assert.match(result.contents, /IOMMU group 32: shared with `0000:0b:11\.5`/);
    assert.match(result.contents, /taken 2 h ago/);
  });

  it('shows an inactive pool and a plain PCI NIC', () => {
    const pooled = hoverAt(hostdevInterface("<address type='pci' bus='0x0b' slot='0x10' function='0x|5'/>"), ctx()).result;
    assert.ok(pooled);
    assert.match(pooled.contents, /In network pool `idle-pool` \(inactive\)/);
    const nic = hoverAt(hostdevInterface("<address type='pci' bus='0x00' slot='0x19' function='0x|0'/>"), ctx()).result;
    assert.ok(nic);
    assert.match(nic.contents, /PCI device without SR-IOV/);
  });
});

describe('hover: product names and layout', () => {
  it('names a well-known VF from its PCI ids when the inventory has no product name', () => {
    const ctx = context82576();
    const inventory = ctx.inventory!;
    const withoutNames = { ...inventory, devices: inventory.devices.map(({ name: _name, ...d }) => d) };
    const { result } = hoverAt(hostdevInterface("<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x|6'/>"), {
      ...ctx,
      inventory: withoutNames,
    });
    assert.ok(result);
    assert.match(result.contents, /Intel 82576 Virtual Function \(`8086:10ca`\)/);
  });

  it('puts each inventory fact in its own paragraph', () => {
    const { result } = hoverAt(
      hostdevInterface("<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x|0'/>"),
      context82576(),
    );
    assert.ok(result);
    assert.match(result.contents, /\n\nIOMMU group \d+/);
    assert.match(result.contents, /\n\nUsed by /);
  });
});

describe('hover: host readiness', () => {
  const withReadiness = (
    groups: number,
    persistence: Record<string, Array<{ mechanism: 'modprobe'; file: string; detail: string; count?: number }>>,
  ) => {
    const inventory = inventory82576();
    inventory.readiness = {
      iommu: { groups, units: groups ? ['dmar0'] : [], cmdline: [], interruptRemapping: 'unknown' },
      kernelCmdline: null,
      vfioPci: 'loaded',
      maxVfsDrivers: [],
      vfPersistence: persistence,
      unreadable: [],
    };
    return { inventory };
  };

  it('a VF of a PF persisted by modprobe.d names the file and line, host text escaped', () => {
    const { result } = hoverAt(
      hostdevInterface("<address type='pci' bus='0x0b' slot='0x10' function='0x|0'/>"),
      withReadiness(30, {
        '0000:0b:00.0': [{ mechanism: 'modprobe', file: 'etc/modprobe.d/igb.conf', detail: 'options igb max_vfs=7 *x*' }],
      }),
    );
    assert.ok(result);
    assert.ok(
      result.contents
        .replace(/\\(.)/g, '$1')
        .includes('VFs persistent via modprobe.d (/etc/modprobe.d/igb.conf: options igb max_vfs=7 *x*)'),
    );
    // readable where a client shows the escapes (Neovim 0.7 to 0.9), and the asterisks make no emphasis
    assert.match(result.contents, /options igb max_vfs=7 \\\*x\\\*\)/, 'host text escaped where it could be markup, and only there');
    assert.doesNotMatch(result.contents, /No IOMMU/);
  });

  /** the hover on the first VF of PF 0000:0b:00.0 in `context`: its markdown, and its text without markdown escapes */
  const vf0Hover = (context: ReturnType<typeof withReadiness>): { markdown: string; text: string } => {
    const { result } = hoverAt(hostdevInterface("<address type='pci' bus='0x0b' slot='0x10' function='0x|0'/>"), context);
    assert.ok(result);
    return { markdown: result.contents, text: result.contents.replace(/\\(.)/g, '$1') };
  };

  it('a VF of a PF whose boot line sets fewer VFs than it has now says which will not come back', () => {
    const hover = vf0Hover(
      withReadiness(30, {
        '0000:0b:00.0': [{ mechanism: 'modprobe', file: 'etc/modprobe.d/igb.conf', detail: 'options igb max_vfs=2', count: 2 }],
      }),
    );
    assert.ok(
      hover.text.includes(
        '**a boot restores 2 of the 7 VFs (VFs 2..6 will not come back): modprobe.d (/etc/modprobe.d/igb.conf: options igb max_vfs=2)**',
      ),
      hover.markdown,
    );
    assert.doesNotMatch(hover.markdown, /VFs persistent via/);
  });

  it('a VF of a PF whose VFs one boot line creates and another removes names both, not "persistent"', () => {
    const { inventory } = withReadiness(30, {
      '0000:0b:00.0': [{ mechanism: 'modprobe', file: 'etc/modprobe.d/igb.conf', detail: 'options igb max_vfs=7', count: 7 }],
    });
    inventory.readiness!.vfRemovals = {
      '0000:0b:00.0': [{ mechanism: 'udev', file: 'etc/udev/rules.d/99-reset.rules', detail: 'ATTR{sriov_numvfs}="0"', count: 0 }],
    };
    const hover = vf0Hover({ inventory });
    assert.ok(
      hover.text.includes(
        '**VFs created at boot by modprobe.d (/etc/modprobe.d/igb.conf: options igb max_vfs=7), but removed by udev rule (/etc/udev/rules.d/99-reset.rules: ATTR{sriov_numvfs}="0") (0 to sriov_numvfs): the one that runs last decides**',
      ),
      hover.markdown,
    );
    assert.doesNotMatch(hover.markdown, /VFs persistent via/);
  });

  it('a VF of a PF whose only line is a NetworkManager profile a boot does not activate names it beside "runtime only", as text', () => {
    const { inventory } = withReadiness(30, { '0000:0b:00.0': [] });
    const file = 'etc/NetworkManager/system-connections/enp11s0f0.nmconnection';
    const detail = '[sriov] total-vfs=7 (autoconnect=false)';
    inventory.readiness!.vfNotAtBoot = { '0000:0b:00.0': [{ mechanism: 'networkmanager', file, detail, count: 7 }] };
    const hover = vf0Hover({ inventory });
    assert.ok(
      hover.text.includes(
        `**VFs created at runtime only: gone after a host reboot (a boot does not activate NetworkManager (/${file}: ${detail}))**`,
      ),
      hover.markdown,
    );
  });

  it('a VF of a PF whose VFs an ifupdown stanza makes at boot names it; one no auto line brings up is named beside "runtime only"', () => {
    const file = 'etc/network/interfaces';
    const detail = 'iface enp11s0f0 inet manual: pre-up echo 7 > /sys/class/net/$IFACE/device/sriov_numvfs';
    const stanza = { mechanism: 'ifupdown' as const, file, detail, count: 7 };
    const persistent = withReadiness(30, { '0000:0b:00.0': [] });
    persistent.inventory.readiness!.vfPersistence['0000:0b:00.0'] = [stanza];
    assert.ok(vf0Hover(persistent).text.includes(`VFs persistent via ifupdown (/${file}: ${detail})`), vf0Hover(persistent).markdown);
    const { inventory } = withReadiness(30, { '0000:0b:00.0': [] });
    inventory.readiness!.vfNotAtBoot = { '0000:0b:00.0': [stanza] };
    const hover = vf0Hover({ inventory });
    assert.ok(
      hover.text.includes(
        `**VFs created at runtime only: gone after a host reboot (a boot does not bring up ifupdown (/${file}: ${detail}))**`,
      ),
      hover.markdown,
    );
  });

  it('a VF with runtime-only VFs on a host without an IOMMU says both', () => {
    const { result } = hoverAt(
      hostdevInterface("<address type='pci' bus='0x0b' slot='0x10' function='0x|0'/>"),
      withReadiness(0, { '0000:0b:00.0': [] }),
    );
    assert.ok(result);
    assert.match(result.contents, /\*\*No IOMMU: no device can be assigned/);
    assert.match(result.contents, /\*\*VFs created at runtime only: gone after a host reboot\*\*/);
  });
});
