// Every diagnostic code, one row each (vscode-css-languageservice's lintRules.ts idea): its default
// severity, what it means in one line, the libvirt functions whose behaviour it mirrors, whether it
// needs a host inventory, and whether a quick fix exists. DiagnosticCode is derived from this table;
// a test compares it with the README's rule tables and with the code actions.
// To add a rule: add its row here and to the README table it belongs to.
import type { Severity } from './types';

export interface RuleInfo {
  /** the severity it is reported with (vf-in-use is a warning when the other use is only in a persistent config) */
  severity: Severity;
  summary: string;
  /**
   * the libvirt 9.0 functions (or libxml2's) whose checks it mirrors, each with its source file:
   * 'virFoo (src/conf/foo.c); virBar (src/util/bar.c)' (the libvirt suite test finds each in libvirt's source)
   */
  libvirt: string;
  needsInventory: boolean;
  fixable: boolean;
}

const rule = (severity: Severity, summary: string, libvirt: string, flags: { inventory?: boolean; fix?: boolean } = {}): RuleInfo => ({
  severity,
  summary,
  libvirt,
  needsInventory: flags.inventory ?? false,
  fixable: flags.fix ?? false,
});

export const RULES = {
  'xml-syntax': rule('error', 'not well-formed XML', 'xmlParseDocument (libxml2, via virXMLParse)', { fix: true }),
  'document-size': rule('error', 'the document is over the 4 MiB libvirt takes; not checked further', 'virNetMessageEncodePayload'),
  'disable-comment': rule(
    'warning',
    'a libvirt-hostdev-disable-next-line comment names a code that does not exist, or a comment opens with a directive this tool does not have (disable-line, disable): nothing is taken off for it',
    'none: a comment of this tool',
    { fix: true },
  ),
  'not-libvirt': rule(
    'error',
    'the CLI was given a document without any element (empty, or only comments or text); libvirt refuses it',
    'virXMLParseHelper (src/util/virxml.c)',
  ),
  'source-missing': rule(
    'error',
    'hostdev interface without <source><address>, mediated device without its uuid, network interface without <source network>',
    'virDomainNetDefParseXML (src/conf/domain_conf.c); virDomainHostdevDefParseXML (src/conf/domain_conf.c); virDomainHostdevSubsysMediatedDevDefParseXML (src/conf/domain_conf.c)',
  ),
  'source-address-type': rule(
    'error',
    "host address type missing or not 'pci'",
    'virDomainNetDefParseXML (src/conf/domain_conf.c); virDomainHostdevDefParseXMLSubsys (src/conf/domain_conf.c)',
  ),
  'pci-number': rule(
    'error',
    'a PCI number libvirt does not parse (strtoul base 0)',
    'virPCIDeviceAddressParseXML (src/conf/device_conf.c); virStrToLong_uip (src/util/virstring.c)',
  ),
  'pci-range': rule(
    'error',
    'bus > 0xff, slot > 0x1f or function > 7',
    'virPCIDeviceAddressIsValid (src/util/virpci.c); virDomainPCIAddressValidate (src/conf/domain_addr.c)',
  ),
  'pci-octal': rule('warning', 'leading zero read as octal', 'virStrToLong_uip (src/util/virstring.c)', { fix: true }),
  'pci-decimal': rule('hint', 'plain decimal PCI number (valid)', 'virStrToLong_uip (src/util/virstring.c)', { fix: true }),
  'pci-zero': rule(
    'warning',
    'all-zero or incomplete host address',
    'virPCIDeviceAddressIsEmpty (src/util/virpci.c); virPCIDeviceNew (src/util/virpci.c)',
  ),
  'pci-duplicate': rule(
    'error',
    'one host PCI address twice in the document',
    'virDomainDefHostdevValidate (src/conf/domain_validate.c); virDomainHostdevMatch (src/conf/domain_conf.c)',
    { fix: true },
  ),
  'hostdev-duplicate': rule(
    'error',
    'one USB, SCSI or mediated host device twice in a guest',
    'virDomainDefHostdevValidate (src/conf/domain_validate.c); virDomainHostdevMatchSubsys (src/conf/domain_conf.c)',
  ),
  'hostdev-options': rule(
    'error',
    "a boot order on a mediated or vhost-scsi host device, display='on' without <graphics>, ramfb on two vGPUs",
    'qemuValidateDomainMdevDefVFIOPCI (src/qemu/qemu_validate.c); qemuValidateDomainMdevDefVFIOAP (src/qemu/qemu_validate.c); qemuValidateDomainDeviceDefHostdev (src/qemu/qemu_validate.c); virDomainDefHostdevValidate (src/conf/domain_validate.c)',
  ),
  'mac-syntax': rule(
    'error',
    'not a MAC address libvirt parses',
    'virMacAddrParse (src/util/virmacaddr.c); virDomainNetDefParseXML (src/conf/domain_conf.c)',
    { fix: true },
  ),
  'mac-multicast': rule(
    'error',
    'multicast MAC',
    'virMacAddrIsMulticast (src/util/virmacaddr.c); virDomainNetDefParseXML (src/conf/domain_conf.c)',
    { fix: true },
  ),
  'mac-zero': rule('warning', 'all-zero MAC', 'virDomainNetDefParseXML (src/conf/domain_conf.c)', { fix: true }),
  'mac-missing': rule('information', 'no <mac>: libvirt generates one at attach', 'virDomainNetGenerateMAC (src/conf/domain_conf.c)', {
    fix: true,
  }),
  'mac-duplicate': rule('warning', 'one MAC twice in the document', 'virDomainNetFindIdx (src/conf/domain_conf.c)'),
  'vlan-tag': rule('error', 'VLAN without a valid tag id', 'virNetDevVlanParse (src/conf/netdev_vlan_conf.c)'),
  'vlan-trunk': rule('error', 'VLAN trunk on a VF', 'virNetDevSetNetConfig (src/util/virnetdev.c)', { fix: true }),
  'vlan-native-mode': rule(
    'warning',
    'nativeMode is ignored on a VF',
    'virNetDevVlanParse (src/conf/netdev_vlan_conf.c); virNetDevSetNetConfig (src/util/virnetdev.c)',
  ),
  'vlan-virtualport': rule(
    'error',
    '<vlan> together with <virtualport>',
    'virHostdevSetNetConfig (src/hypervisor/virhostdev.c); networkValidate (src/network/bridge_driver.c)',
    {
      fix: true,
    },
  ),
  'virtualport-type': rule(
    'error',
    'virtualport type missing, unknown or not 802.1Qbh',
    'virNetDevVPortProfileParse (src/conf/netdev_vport_profile_conf.c); virHostdevNetConfigVirtPortProfile (src/hypervisor/virhostdev.c)',
    { fix: true },
  ),
  'virtualport-parameters': rule(
    'error',
    'virtualport parameter missing, extra or too long',
    'virNetDevVPortProfileCheckComplete (src/util/virnetdevvportprofile.c); virNetDevVPortProfileCheckNoExtras (src/util/virnetdevvportprofile.c); virNetDevVPortProfileMerge3 (src/util/virnetdevvportprofile.c)',
  ),
  'driver-name': rule(
    'error',
    'driver name not vfio (or not one libvirt knows)',
    'virDomainHostdevDefParseXMLSubsys (src/conf/domain_conf.c); qemuHostdevPreparePCIDevicesCheckSupport (src/qemu/qemu_hostdev.c); virDomainDeviceDefValidateInternal (src/conf/domain_validate.c)',
    { fix: true },
  ),
  'element-unsupported': rule(
    'error',
    'element a hostdev interface does not support',
    'qemuValidateDomainDeviceDefNetwork (src/qemu/qemu_validate.c); virDomainNetDefParseXML (src/conf/domain_conf.c); virDomainNetDefValidate (src/conf/domain_validate.c); virDomainNetDefValidatePortOptions (src/conf/domain_validate.c); virDomainActualNetDefValidate (src/conf/domain_validate.c); qemuDomainValidateActualNetDef (src/qemu/qemu_domain.c); qemuValidateDomainDeviceDefHostdev (src/qemu/qemu_validate.c); networkAllocatePort (src/network/bridge_driver.c)',
    { fix: true },
  ),
  'element-ignored': rule(
    'warning',
    'element with no effect on a VF',
    'virDomainNetDefParseXML (src/conf/domain_conf.c); virDomainHostdevDefParseXML (src/conf/domain_conf.c)',
    { fix: true },
  ),
  'attribute-value': rule(
    'error',
    'a fixed-choice attribute with a value libvirt does not know, or a model name it refuses',
    'virXMLPropTristateBool (src/util/virxml.c); virXMLPropEnum (src/util/virxml.c); virDomainNetDefParseXML (src/conf/domain_conf.c); virDomainNetSetModelString (src/conf/domain_conf.c); virNetworkDefParseXML, virNetworkPortGroupParseXML (src/conf/network_conf.c)',
  ),
  'managed-value': rule(
    'warning',
    "managed not yes/no (silently dropped; a pool's reads as no)",
    'virDomainHostdevDefParseXMLSubsys (src/conf/domain_conf.c); virXMLPropTristateBool (src/util/virxml.c); virNetworkForwardDefParseXML (src/conf/network_conf.c)',
  ),
  'guest-address-type': rule(
    'error',
    'guest-side address of a type, or on a bus, libvirt refuses for the device',
    'virDomainDeviceAddressParseXML (src/conf/domain_conf.c); virDomainHostdevDefValidate (src/conf/domain_validate.c); qemuValidateDomainDeviceDefIOMMU (src/qemu/qemu_validate.c); virDomainHostdevDefPostParse (src/conf/domain_postparse.c); virDomainPCIAddressFlagsCompatible (src/conf/domain_addr.c); virDomainPCIAddressBusSetModel (src/conf/domain_addr.c)',
  ),
  'controller-index': rule(
    'error',
    'a <controller index> libvirt does not read (base 10, non-negative), or a PCI controller index above 255',
    'virDomainControllerDefParseXML (src/conf/domain_conf.c); virXMLPropInt (src/util/virxml.c); virDomainControllerDefValidate (src/conf/domain_validate.c)',
  ),
  'address-multifunction': rule(
    'error',
    'multifunction not on/off',
    'virPCIDeviceAddressParseXML (src/conf/device_conf.c); virXMLPropTristateSwitch (src/util/virxml.c)',
  ),
  teaming: rule(
    'error',
    'bad <teaming> type or persistent/transient pairing',
    'virDomainNetTeamingInfoParseXML (src/conf/domain_conf.c); virDomainNetDefValidate (src/conf/domain_validate.c); virDomainHostdevDefValidate (src/conf/domain_validate.c); qemuValidateDomainDeviceDefNetwork (src/qemu/qemu_validate.c)',
  ),
  rom: rule('error', "<rom enabled='no'> with bar or file", 'virDomainDeviceInfoParseXML (src/conf/domain_conf.c)'),
  'boot-order-duplicate': rule('error', 'one boot order on two devices', 'virDomainDefCollectBootOrder (src/conf/domain_postparse.c)'),
  'alias-duplicate': rule('error', 'one user alias on two devices', 'virDomainDefValidateAliases (src/conf/domain_validate.c)'),
  'guest-address-duplicate': rule(
    'error',
    'one guest-side PCI address on two devices, or not in domain 0',
    'virDomainPCIAddressReserveAddrInternal (src/conf/domain_addr.c); qemuDomainValidateDevicePCISlotsPIIX3 (src/qemu/qemu_domain_address.c)',
  ),
  zpci: rule(
    'error',
    'zPCI uid/fid not valid, reused, or zPCI on another architecture',
    'virZPCIDeviceAddressParseXML (src/conf/device_conf.c); qemuValidateDomainDeviceDefZPCIAddress (src/qemu/qemu_validate.c); virDomainZPCIAddressReserveId (src/conf/domain_addr.c)',
  ),
  'boot-order': rule(
    'error',
    'a boot order that is not a positive decimal number',
    'virDomainDeviceBootParseXML (src/conf/domain_conf.c); virDomainDefBootOrderPostParse (src/conf/domain_postparse.c)',
  ),
  'acpi-index': rule(
    'error',
    'an ACPI index that is not a positive decimal number, or on a device without a PCI address',
    'virDomainDeviceInfoParseXML (src/conf/domain_conf.c); qemuValidateDomainDeviceInfo (src/qemu/qemu_validate.c)',
  ),
  'device-type': rule(
    'error',
    'an interface or hostdev type or mode libvirt does not know',
    'virDomainNetDefParseXML (src/conf/domain_conf.c); virDomainHostdevDefParseXML (src/conf/domain_conf.c); qemuValidateDomainDeviceDefHostdev (src/qemu/qemu_validate.c)',
  ),
  'default-namespace': rule(
    'error',
    'a default namespace (xmlns) on the document root',
    'virDomainDefParseXML (src/conf/domain_conf.c); virDomainNetDefParseXML (src/conf/domain_conf.c)',
  ),
  'memlock-limit': rule(
    'error',
    "<memtune><hard_limit> below the memory VFIO locks (warning: below libvirt's figure only)",
    'qemuDomainGetMemLockLimitBytes (src/qemu/qemu_domain.c); qemuProcessLaunch (src/qemu/qemu_process.c); qemuDomainAdjustMaxMemLockHostdev (src/qemu/qemu_domain.c)',
    { fix: true },
  ),
  'domain-name': rule(
    'error',
    'a <domain> without a name, with an empty one, or with one over several lines',
    'virDomainDefParseIDs (src/conf/domain_conf.c); qemuDomainDefineXMLFlags (src/qemu/qemu_driver.c)',
  ),
  'memory-size': rule(
    'error',
    'a size of the guest memory, its memtune, NUMA cells, hugepages or memory devices that libvirt does not read (not a decimal number, unknown unit, too large, missing)',
    'virDomainDefParseMemory (src/conf/domain_conf.c); virDomainParseMemory (src/conf/domain_conf.c); virDomainParseMemoryLimit (src/conf/domain_conf.c); virParseScaledValue (src/util/virxml.c); virScaleInteger (src/util/virutil.c); virDomainNumaDefParseXML (src/conf/numa_conf.c); virDomainHugepagesParseXML (src/conf/domain_conf.c); virDomainMemoryTargetDefParseXML (src/conf/domain_conf.c); virDomainMemorySourceDefParseXML (src/conf/domain_conf.c)',
    { fix: true },
  ),
  'pci-unknown': rule('error', 'the address is not on the host', 'virPCIDeviceNew (src/util/virpci.c)', { inventory: true, fix: true }),
  'pci-not-vf': rule('error', 'hostdev interface on a PF or a non-SR-IOV device', 'virHostdevSaveNetConfig (src/hypervisor/virhostdev.c)', {
    inventory: true,
    fix: true,
  }),
  'vf-in-use': rule(
    'error',
    'another guest holds the VF (live: error; persistent config only: warning)',
    'virHostdevIsPCINodeDeviceUsed (src/hypervisor/virhostdev.c)',
    {
      inventory: true,
      fix: true,
    },
  ),
  'vf-in-network': rule('warning', "the VF is in an active network's hostdev pool", 'networkAllocatePort', { inventory: true, fix: true }),
  'iommu-group': rule(
    'warning',
    'the VF shares its IOMMU group with unassigned devices',
    'virHostdevIsPCINodeDeviceUsed (src/hypervisor/virhostdev.c)',
    {
      inventory: true,
    },
  ),
  'vf-driver': rule(
    'warning',
    'unmanaged (a device or a VF pool) and not bound to vfio-pci',
    'virHostdevPreparePCIDevices (src/hypervisor/virhostdev.c)',
    {
      inventory: true,
    },
  ),
  'host-iommu': rule('error', 'the host has no active IOMMU', 'qemuHostdevPreparePCIDevicesCheckSupport (src/qemu/qemu_hostdev.c)', {
    inventory: true,
  }),
  'vf-not-persistent': rule(
    'warning',
    "a guest's or a pool's VF does not come back after a host reboot: nothing recreates its PF's VFs at boot, or the boot sets fewer",
    'virPCIDeviceNew',
    { inventory: true },
  ),
  'network-unknown': rule('error', "<interface type='network'> names a network the host does not have", 'virNetworkObjFindByName', {
    inventory: true,
    fix: true,
  }),
  'network-inactive': rule('error', 'the network is not active (warning when it autostarts)', 'networkAllocatePort', {
    inventory: true,
    fix: true,
  }),
  'network-pool-exhausted': rule(
    'error',
    'a hostdev pool has no free VF left (warning when the guests that take VFs at their start want more than are free)',
    'networkAllocatePort',
    { inventory: true, fix: true },
  ),
  'network-portgroup': rule('warning', 'a portgroup the network does not define', 'networkAllocatePort', { inventory: true, fix: true }),
  'portgroup-in-use': rule(
    'warning',
    "a network definition without a portgroup that guests' interfaces name (they start without its VLAN)",
    'networkAllocatePort',
    { inventory: true, fix: true },
  ),
  'portgroup-vlan-changed': rule(
    'information',
    "a network definition that keeps the portgroup guests' interfaces take but gives them another VLAN than the host's network does now",
    'networkAllocatePort',
    { inventory: true, fix: true },
  ),
  'uuid-taken': rule(
    'error',
    "a guest or network definition the host's define refuses: the name of one of its objects with another or no <uuid>, or the <uuid> of one of another name",
    'virDomainObjListAddLocked; virNetworkObjAssignDefLocked',
    { inventory: true, fix: true },
  ),
  'network-name': rule('error', 'a <network> without a name, or a name with /', 'virNetworkDefParseXML'),
  'network-forward': rule(
    'error',
    "a hostdev pool's <forward> libvirt refuses (mode, driver, dev, netdevs, two <pf>s, an empty <pf dev>, no VFs)",
    'virNetworkForwardDefParseXML; networkCreateInterfacePool',
  ),
  'network-address': rule(
    'error',
    'a pool <address> without type pci, listed twice, or all zeros',
    'virNetworkForwardDefParseXML; networkValidate',
  ),
  'network-element': rule('error', 'a bridge, MAC, IP, DNS, domain, MTU or bandwidth in a hostdev pool', 'networkValidate'),
  'network-portgroups': rule(
    'error',
    'a portgroup without a name, twice, a second default, or with bandwidth in a pool; a default not yes/no',
    'networkValidate; virNetworkPortGroupParseXML',
  ),
  'network-pf': rule('error', "the pool's <pf dev> is not a PF with VFs on the host (net-start fails)", 'networkCreateInterfacePool', {
    inventory: true,
  }),
  'network-vf': rule(
    'error',
    'a pool <address> that is not a VF on the host, or that a guest uses directly (warning: config only)',
    'networkValidate',
    {
      inventory: true,
    },
  ),
  'inventory-unavailable': rule('information', 'the host or snapshot cannot be read; the last good inventory is used', 'virConnectOpen', {
    inventory: true,
  }),
} as const satisfies Record<string, RuleInfo>;

export type DiagnosticCode = keyof typeof RULES;

export const DIAGNOSTIC_CODES = Object.keys(RULES) as DiagnosticCode[];

/** True for a code of the catalog (a name from a user: a comment, --disable, a config file). */
export function isDiagnosticCode(code: string): code is DiagnosticCode {
  return Object.prototype.hasOwnProperty.call(RULES, code);
}
