// USB, SCSI and mediated host devices used twice (virDomainHostdevMatchSubsys), boot order and display on
// mediated / vhost-scsi devices (qemu_validate.c), <backend tap> on interfaces without a tap device
// (qemuDomainValidateActualNetDef), the virtio IOMMU's address. Messages verified with virsh define
// (qemu:///session) and libvirt 9.0's own .err files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { domain, expectAt, expectNone } from './helpers';

const usb = (bus: string, device: string, at = 'address') =>
  `<hostdev mode='subsystem' type='usb' managed='no'><source><${at} bus='${bus}' device='${device}'/></source></hostdev>\n`;
const mdev = (uuid: string, extra = '', attrs = '') =>
  `<hostdev mode='subsystem' type='mdev' model='vfio-pci'${attrs}><source><address uuid='${uuid}'/></source>${extra}</hostdev>\n`;
const UUID = '53764d0e-85a0-42b4-af5c-2046b460b1dc';

test('hostdev-duplicate: one USB device (numbers compared) or one mdev twice in a guest is an error on both', () => {
  const [p] = expectAt(domain(usb('14', '6', '[[address]]') + usb('0xe', '6', '[[address]]')), 'hostdev-duplicate', 'error');
  assert.match(
    p.message,
    /^One host USB device is assigned 2 times in this guest — define\/attach fails; libvirt: "XML error: Hostdev already exists in the domain configuration". A host device can be assigned once \(this is bus 14 device 6\)/,
  );
  const m = (u: string) => mdev(u).replace('<address', '<[[address]]');
  expectAt(domain(m(UUID) + m(UUID)), 'hostdev-duplicate', 'error');
  const scsi = `<hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host0'/><[[address]] bus='0' target='0' unit='0'/></source></hostdev>\n`;
  expectAt(domain(scsi + scsi), 'hostdev-duplicate', 'error');
});

test('hostdev-duplicate: an mdev uuid is compared as the UUID libvirt parses, not as text (virsh define)', () => {
  const m = (u: string) => mdev(u).replace('<address', '<[[address]]');
  const spellings = ['53764D0E85A042B4AF5C2046B460B1DC', '53 76 4d 0e-85a0-42b4-af5c-2046b460b1dc', ` ${UUID}\t`];
  for (const other of spellings) expectAt(domain(m(UUID) + m(other)), 'hostdev-duplicate', 'error');
  expectNone(domain(mdev(UUID) + mdev('53764D0E85A042B4AF5C2046B460B1DD')), 'hostdev-duplicate');
});

test('hostdev-duplicate: other devices, and the same device in two guests, are fine', () => {
  expectNone(domain(usb('14', '6') + usb('14', '7')), 'hostdev-duplicate');
  expectNone(domain(mdev(UUID) + mdev(UUID.replace('53', '54'))), 'hostdev-duplicate');
  expectNone(domain(usb('14', '6'), 'a') + domain(usb('14', '6'), 'b'), 'hostdev-duplicate');
});

test('hostdev-options: a boot order on a vfio-pci or vfio-ap mediated device or a vhost-scsi device is refused', () => {
  const [p] = expectAt(mdev(UUID, "<[[boot]] order='1'/>"), 'hostdev-options', 'error');
  assert.match(
    p.message,
    /libvirt: "unsupported configuration: booting from assigned devices is not supported by mediated devices of model vfio-pci"/,
  );
  const vhost =
    "<hostdev mode='subsystem' type='scsi_host'><source protocol='vhost' wwpn='naa.5123456789abcde0'/><[[boot]] order='1'/></hostdev>";
  const [v] = expectAt(vhost, 'hostdev-options', 'error');
  assert.match(v.message, /not supported by vhost SCSI devices"/);
  // a PCI host device may boot
  expectNone(
    "<hostdev mode='subsystem' type='pci'><source><address bus='0x0b' slot='0x10'/></source><boot order='1'/></hostdev>",
    'hostdev-options',
  );
});

test("hostdev-options: display='on' on a vfio-pci mediated device needs a <graphics> device in the guest", () => {
  const [p] = expectAt(domain(mdev(UUID, '', " display='[[on]]'")), 'hostdev-options', 'error');
  assert.match(p.message, /libvirt: "unsupported configuration: graphics device is needed for attribute value 'display=on' in <hostdev>"/);
  expectNone(domain(mdev(UUID, '', " display='on'") + "<graphics type='vnc'/>\n"), 'hostdev-options');
  expectNone(domain(mdev(UUID, '', " display='off'")), 'hostdev-options');
  // a snippet is attached to a guest this document does not show
  expectNone(mdev(UUID, '', " display='on'"), 'hostdev-options');
});

test('element-unsupported: <backend tap> on a vhost-user (or any non-tap) interface fails at start, named by the MAC', () => {
  const vhost = `<interface type='vhostuser'><mac address='52:54:00:EE:96:6B'/><source type='unix' path='/tmp/s' mode='server'/><model type='virtio'/><backend tap='[[/dev/net/tun]]'/></interface>`;
  const [p] = expectAt(vhost, 'element-unsupported', 'error');
  assert.match(
    p.message,
    /the guest fails to start; libvirt: "unsupported configuration: interface 52:54:00:ee:96:6b - custom tap device path is not supported for network interfaces of type vhostuser"/,
  );
  for (const type of ['network', 'bridge', 'ethernet'])
    expectNone(`<interface type='${type}'><backend tap='/dev/net/tun'/></interface>`, 'element-unsupported');
});

test('guest-address-type: a virtio IOMMU needs a PCI address on bus 0', () => {
  const [t] = expectAt("<iommu model='virtio'><address type='[[virtio-mmio]]'/></iommu>", 'guest-address-type', 'error');
  assert.match(t.message, /libvirt: "unsupported configuration: IOMMU device: 'virtio' needs a PCI address"/);
  const [b] = expectAt(
    "<iommu model='virtio'><address type='pci' domain='0x0000' bus='[[0x01]]' slot='0x00' function='0x0'/></iommu>",
    'guest-address-type',
    'error',
  );
  assert.match(b.message, /libvirt: "XML error: The device at PCI address 0000:01:00.0 needs to be an integrated device \(bus=0\)"/);
  expectNone("<iommu model='virtio'><address type='pci' bus='0x00' slot='0x05'/></iommu>", 'guest-address-type');
  expectNone("<iommu model='intel'><address type='pci' bus='0x01' slot='0x00'/></iommu>", 'guest-address-type');
});

test('mediated devices: a uuid is required, a vfio-pci one sits at a PCI address, one ramfb per guest (virsh define)', () => {
  const [uuid] = expectAt(
    "<hostdev mode='subsystem' type='mdev' model='vfio-pci'><source><[[address]]/></source></hostdev>",
    'source-missing',
    'error',
  );
  assert.match(uuid.message, /libvirt: "unsupported configuration: Missing 'uuid' attribute for element <address>"/);
  expectAt("<hostdev mode='subsystem' type='mdev' model='vfio-pci'><[[source]]/></hostdev>", 'source-missing', 'error');
  const [type] = expectAt(
    mdev(UUID, "<address type='[[drive]]' controller='0' bus='0' target='0' unit='0'/>"),
    'guest-address-type',
    'error',
  );
  assert.match(type.message, /libvirt: "XML error: Unsupported address type 'drive' with mediated device model 'vfio-pci'"/);
  expectNone(mdev(UUID, "<address type='pci' bus='0x00' slot='0x05'/>"), 'guest-address-type');
  const [ramfb] = expectAt(
    domain(
      mdev(UUID, '', " display='on' ramfb='[[on]]'") +
        mdev(UUID.replace('53', '54'), '', " display='on' ramfb='[[on]]'") +
        "<graphics type='vnc'/>\n",
    ),
    'hostdev-options',
    'error',
  );
  assert.match(ramfb.message, /libvirt: "unsupported configuration: Only one vgpu device can have 'ramfb' enabled"/);
  expectNone(
    domain(mdev(UUID, '', " ramfb='on'") + mdev(UUID.replace('53', '54'), '', " ramfb='off'") + "<graphics type='vnc'/>\n"),
    'hostdev-options',
  );
});
