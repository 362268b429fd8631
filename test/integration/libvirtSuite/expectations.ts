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
  /hostdev|interface|vlan|virtualport|mac address|PCI address|boot order|per-device boot|alias|\bROM\b|teaming|multifunction|acpi index|assigned devices|mediated device|vgpu|Missing 'uuid'|zPCI|\buid\b|\bfid\b/i;

export function inScope(c: SuiteCase): boolean {
  return c.expectation === 'reject' && c.message !== undefined && SCOPE.test(c.message);
}

/**
 * Refusals libvirt ships no message file for (genericxml2xmltest.c and the bhyve drivers only say
 * "fails"): what each group is about, read from the file and the driver's source, and libvirt's
 * message where that puts it in scope. Every such refusal must fall in one group.
 */
export const WITHOUT_MESSAGE_FILE: { files: RegExp; about: string; message?: string }[] = [
  { files: /^genericxml2xmlindata\/(cachetune|memorytune)-/, about: 'cache and memory bandwidth allocation (<cputune>)' },
  { files: /^genericxml2xmlindata\/chardev-/, about: 'character device sources' },
  { files: /^genericxml2xmlindata\/graphics-/, about: 'graphics listen addresses' },
  { files: /^genericxml2xmlindata\/name-slash-fail\.xml$/, about: "a '/' in the domain name" },
  {
    files: /^bhyvexml2argvdata\/bhyvexml2argv-(fs-9p-|vnc-|xhci-|isa-|cputopology-|addr-no32devs-)/,
    about: "bhyve's command line: 9p filesystems, VNC, USB and ISA controllers, CPU topology, SATA disks per controller",
  },
  {
    files: /^bhyvexml2argvdata\/bhyvexml2argv-bhyveload-bootorder5\.xml$/,
    about: 'a device <boot order> beside <os><boot dev> (virDomainDefBootOrderPostParse, src/conf/domain_postparse.c)',
    message: 'per-device boot elements cannot be used together with os/boot elements',
  },
];

/** The case with libvirt's message from WITHOUT_MESSAGE_FILE when its driver ships none. */
export function withMessage(c: SuiteCase): SuiteCase {
  if (c.expectation !== 'reject' || c.message !== undefined) return c;
  const group = WITHOUT_MESSAGE_FILE.find((g) => g.files.test(c.file));
  return group?.message ? { ...c, message: group.message } : c;
}

export interface Listed {
  reason: string;
  /** a known shortcoming of this tool, to be fixed */
  gap?: boolean;
}

/** Start-time errors or warnings with these codes on an accepted file, and why. */
export interface Flagged extends Listed {
  codes: string[];
}

// virHostdevSetNetConfig (src/hypervisor/virhostdev.c) refuses a <vlan> beside any <virtualport>
// before it looks at the virtualport's type; without the <vlan>, virHostdevNetConfigVirtPortProfile
// would refuse 802.1Qbg on a VF next.
const QBG_WITH_VLAN_ON_VF: Flagged = {
  codes: ['vlan-virtualport', 'virtualport-type'],
  reason:
    "start-time: libvirt's tests never start the guest; starting it fails in virHostdevSetNetConfig: " +
    '"unsupported configuration: direct setting of the vlan tag is not allowed for hostdev devices using 802.1Qbg mode" ' +
    '(and without the <vlan>, virHostdevNetConfigVirtPortProfile: "virtualport type 802.1Qbg is currently not supported on interfaces of type hostdev")',
};
const MODEL_ON_VF: Flagged = {
  codes: ['element-ignored'],
  reason:
    "warning: <model type='rtl8139'> has no effect on a VF (QEMU gives the guest the VF itself; libvirt keeps <model> but never uses it)",
};

/** Accepted files that get start-time errors or warnings with these codes, and why. */
export const ACCEPTED_FLAGGED: Record<string, Flagged[]> = {
  'qemuxml2argvdata/net-hostdev.xml': [QBG_WITH_VLAN_ON_VF, MODEL_ON_VF],
  'qemuxml2argvdata/net-hostdev-vfio.xml': [QBG_WITH_VLAN_ON_VF, MODEL_ON_VF],
  'qemuxml2argvdata/net-hostdev-multidomain.xml': [QBG_WITH_VLAN_ON_VF, MODEL_ON_VF],
  'qemuxml2argvdata/net-hostdev-vfio-multidomain.xml': [QBG_WITH_VLAN_ON_VF, MODEL_ON_VF],
  'qemuxml2xmloutdata/net-hostdev.xml': [QBG_WITH_VLAN_ON_VF, MODEL_ON_VF],
  'qemuxml2xmloutdata/net-hostdev-vfio.xml': [QBG_WITH_VLAN_ON_VF, MODEL_ON_VF],
};

/** Refusals in scope that get no error with libvirt's message here, and why. */
export const REFUSED_NOT_CAUGHT: Record<string, Listed> = {};
