// What this tool is expected to say about libvirt's test suite beyond "nothing on accepted files"
// and "an error with libvirt's message on refused files in scope": each exception with its reason.
// `gap: true` marks what this tool gets wrong today and should fix; the rest is right as it is.
import type { SuiteCase } from './classify';

/**
 * A refusal is in scope when it is about what sits in or around a passthrough device: hostdev,
 * interface, VLAN, virtualport, MAC, PCI addresses, boot order, aliases, ROM, teaming,
 * multifunction, ACPI index, zPCI.
 */
const SCOPE =
  /hostdev|interface|vlan|virtualport|mac address|PCI address|boot order|per-device boot|alias|\bROM\b|teaming|multifunction|acpi index|zPCI|\buid\b|\bfid\b/i;

export function inScope(c: SuiteCase): boolean {
  return c.expectation === 'reject' && c.message !== undefined && SCOPE.test(c.message);
}

export interface Listed {
  reason: string;
  /** a known shortcoming of this tool, to be fixed */
  gap?: boolean;
}

/** Accepted files that get warnings (or start-time errors) with these codes, and why. */
export interface Flagged extends Listed {
  codes: string[];
}

const QBG_ON_VF =
  "libvirt's tests never start the guest: a hostdev interface with an 802.1Qbg virtualport and a <vlan> " +
  'fails at start (virHostdevNetConfigVirtPortProfile: "virtualport type 802.1Qbg is currently not supported on interfaces of type hostdev"); ' +
  '<model> has no effect on a VF';

export const ACCEPTED_FLAGGED: Record<string, Flagged> = {
  'qemuxml2argvdata/net-hostdev.xml': { codes: ['vlan-virtualport', 'virtualport-type', 'element-ignored'], reason: QBG_ON_VF },
  'qemuxml2argvdata/net-hostdev-vfio.xml': { codes: ['vlan-virtualport', 'virtualport-type', 'element-ignored'], reason: QBG_ON_VF },
  'qemuxml2argvdata/net-hostdev-multidomain.xml': { codes: ['vlan-virtualport', 'virtualport-type', 'element-ignored'], reason: QBG_ON_VF },
  'qemuxml2argvdata/net-hostdev-vfio-multidomain.xml': {
    codes: ['vlan-virtualport', 'virtualport-type', 'element-ignored'],
    reason: QBG_ON_VF,
  },
  'qemuxml2xmloutdata/net-hostdev.xml': { codes: ['vlan-virtualport', 'virtualport-type', 'element-ignored'], reason: QBG_ON_VF },
  'qemuxml2xmloutdata/net-hostdev-vfio.xml': { codes: ['vlan-virtualport', 'virtualport-type', 'element-ignored'], reason: QBG_ON_VF },
};

const NOT_PCI =
  "not PCI passthrough: this tool models <hostdev type='pci'> and <interface type='hostdev'>, not mediated, SCSI or USB host devices";
const TOPOLOGY = "needs libvirt's PCI topology model (which controller accepts which device, implicit devices of the machine type)";

/** Refusals in scope that get no error with libvirt's message here, and why. */
export const REFUSED_NOT_CAUGHT: Record<string, Listed> = {
  'qemuxml2argvdata/hostdev-mdev-display-missing-graphics.xml': { reason: NOT_PCI },
  'qemuxml2argvdata/hostdev-mdev-duplicate.xml': { reason: NOT_PCI },
  'qemuxml2argvdata/hostdev-scsi-duplicate.xml': { reason: NOT_PCI },
  'qemuxml2argvdata/hostdev-usb-duplicate.xml': { reason: NOT_PCI },
  'qemuxml2argvdata/net-vhostuser-fail.xml': { reason: 'a vhost-user interface, not a passthrough device' },
  'qemuxml2argvdata/virtio-iommu-invalid-address-type.xml': { reason: "about the <iommu> device's own address, not a passthrough device" },
  'qemuxml2argvdata/virtio-iommu-invalid-address.xml': { reason: TOPOLOGY },
  'qemuxml2argvdata/pci-expander-bus-bad-bus.xml': { reason: TOPOLOGY },
  'qemuxml2argvdata/pcie-expander-bus-bad-bus.xml': { reason: TOPOLOGY },
  'qemuxml2argvdata/q35-dmi-bad-address2.xml': { reason: TOPOLOGY },
  'qemuxml2argvdata/440fx-ide-address-conflict.xml': { reason: TOPOLOGY },
};
