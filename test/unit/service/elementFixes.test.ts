import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAC, SOURCE_104, codesOf, fixesFor, iface } from './quickFixHelpers';

describe('quick fixes for VLAN, virtualport, driver and elements', () => {
  const VLAN = "  <vlan>\n    <tag id='42'/>\n  </vlan>\n";
  const VPORT = "  <virtualport type='802.1Qbh'>\n    <parameters profileid='finance'/>\n  </virtualport>\n";

  it('vlan-virtualport: removes either element with its lines', () => {
    const text = iface(MAC + SOURCE_104 + VLAN + VPORT);
    const fix = fixesFor(text, 'vlan-virtualport');
    assert.deepEqual(fix.titles, ['Remove <vlan>', 'Remove <virtualport>']);
    assert.equal(fix.apply(0), iface(MAC + SOURCE_104 + VPORT));
    assert.equal(fix.apply(1), iface(MAC + SOURCE_104 + VLAN));
    assert.ok(!codesOf(fix.apply(0)).includes('vlan-virtualport'));
    assert.ok(!codesOf(fix.apply(1)).includes('vlan-virtualport'));
  });

  it('vlan-trunk: keeps the first tag, drops the other tags and trunk', () => {
    const text = iface(MAC + SOURCE_104 + "  <vlan trunk='yes'>\n    <tag id='42'/>\n    <tag id='43'/>\n    <tag id='44'/>\n  </vlan>\n");
    const fix = fixesFor(text, 'vlan-trunk');
    assert.deepEqual(fix.titles, ['Keep only VLAN tag 42']);
    const fixed = fix.apply(0);
    assert.equal(fixed, iface(MAC + SOURCE_104 + VLAN));
    assert.deepEqual(codesOf(fixed), []);
  });

  it('virtualport-type: sets 802.1Qbh', () => {
    const text = iface(MAC + SOURCE_104 + "  <virtualport type='openvswitch'>\n    <parameters profileid='finance'/>\n  </virtualport>\n");
    const fixed = fixesFor(text, 'virtualport-type').apply(0);
    assert.equal(fixed, iface(MAC + SOURCE_104 + VPORT));
    assert.deepEqual(codesOf(fixed), []);
  });

  it('virtualport-type: from openvswitch with its own parameters, drops those 802.1Qbh does not take and keeps profileid', () => {
    const text = iface(
      MAC +
        SOURCE_104 +
        "  <virtualport type='openvswitch'>\n    <parameters interfaceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f' profileid='finance'/>\n  </virtualport>\n",
    );
    const fix = fixesFor(text, 'virtualport-type');
    assert.deepEqual(fix.titles, ["Set type='802.1Qbh' and drop the parameters it does not take"]);
    const fixed = fix.apply(0);
    assert.equal(fixed, iface(MAC + SOURCE_104 + VPORT));
    assert.deepEqual(codesOf(fixed), []);
  });

  it('driver-name: sets vfio', () => {
    const text = iface(MAC + SOURCE_104 + "  <driver name='kvm'/>\n");
    const fixed = fixesFor(text, 'driver-name').apply(0);
    assert.equal(fixed, iface(MAC + SOURCE_104 + "  <driver name='vfio'/>\n"));
    assert.deepEqual(codesOf(fixed), []);
  });

  for (const [code, element] of [
    ['element-unsupported', "  <mtu size='9000'/>\n"],
    ['element-unsupported', "  <port isolated='yes'/>\n"],
    ['element-ignored', "  <model type='virtio'/>\n"],
  ] as const) {
    it(`${code}: removes ${element.trim()}`, () => {
      const text = iface(MAC + SOURCE_104 + element);
      const fix = fixesFor(text, code);
      assert.equal(fix.titles.length, 1);
      const fixed = fix.apply(0);
      assert.equal(fixed, iface(MAC + SOURCE_104));
      assert.deepEqual(codesOf(fixed), []);
    });
  }

  it("a host-side <ip> or <route> inside <source> goes alone: the VF's address stays", () => {
    for (const hostSide of [
      "<ip address='192.168.1.5' prefix='24'/>",
      "<route address='192.168.2.0' prefix='24' gateway='192.168.1.1'/>",
    ]) {
      const withHostSide = SOURCE_104.replace('  </source>', `    ${hostSide}\n  </source>`);
      const fix = fixesFor(iface(MAC + withHostSide), 'element-unsupported');
      assert.deepEqual(fix.titles, [`Remove <${hostSide.slice(1, hostSide.indexOf(' '))}>`]);
      const fixed = fix.apply(0);
      assert.equal(fixed, iface(MAC + SOURCE_104));
      assert.deepEqual(codesOf(fixed), []);
    }
  });

  it("writeFiltering on a PCI <hostdev>'s <source> goes alone: the address stays", () => {
    const device = (source: string): string =>
      `<domain type='kvm'><name>g</name><devices><hostdev mode='subsystem' type='pci' managed='yes'><source${source}><address domain='0x0000' bus='0x0b' slot='0x10' function='0x4'/></source></hostdev></devices></domain>`;
    const fix = fixesFor(device(" writeFiltering='yes'"), 'element-unsupported');
    assert.deepEqual(fix.titles, ['Remove writeFiltering']);
    const fixed = fix.apply(0);
    assert.equal(fixed, device(''));
    assert.ok(!codesOf(fixed).includes('element-unsupported'), codesOf(fixed).join(', '));
  });

  it('driver-name on a virtio option (iommu, ats, packed, page_per_vq): removes the option, not a name that is right', () => {
    for (const option of ["iommu='on'", "ats='on'", "packed='on'", "page_per_vq='on'"]) {
      const fix = fixesFor(iface(MAC + SOURCE_104 + `  <driver name='vfio' ${option}/>\n`), 'driver-name');
      assert.deepEqual(fix.titles, [`Remove ${option.slice(0, option.indexOf('='))}`], option);
      const fixed = fix.apply(0);
      assert.equal(fixed, iface(MAC + SOURCE_104 + "  <driver name='vfio'/>\n"), option);
      assert.deepEqual(codesOf(fixed), [], option);
    }
  });

  it('removes an element that shares its line with others without touching them', () => {
    const text =
      "<interface type='hostdev' managed='yes'><mac address='52:54:00:6d:90:02'/><source><address type='pci' bus='0x0b' slot='0x10' function='0x4'/></source><mtu size='9000'/></interface>";
    const fixed = fixesFor(text, 'element-unsupported').apply(0);
    assert.equal(fixed, text.replace("<mtu size='9000'/>", ''));
  });
});
