// Every diagnostic code, one row each (vscode-css-languageservice's lintRules.ts idea): its default
// severity, what it means in one line, the libvirt function whose behaviour it mirrors, whether it
// needs a host inventory, and whether a quick fix exists. DiagnosticCode is derived from this table;
// a test compares it with the README's rule tables and with the code actions.
// To add a rule: add its row here and to the README table it belongs to.
import type { Severity } from './types';

export interface RuleInfo {
  /** the severity it is reported with (vf-in-use is a warning when the other use is only in a persistent config) */
  severity: Severity;
  summary: string;
  /** the libvirt (or libxml2) function whose check it mirrors */
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
  'source-missing': rule('error', 'hostdev interface without <source><address>', 'virDomainNetDefParseXML'),
  'source-address-type': rule('error', "host address type missing or not 'pci'", 'virDomainHostdevDefParseXML'),
  'pci-number': rule('error', 'a PCI number libvirt does not parse (strtoul base 0)', 'virPCIDeviceAddressParseXML'),
  'pci-range': rule('error', 'bus > 0xff, slot > 0x1f or function > 7', 'virPCIDeviceAddressIsValid'),
  'pci-octal': rule('warning', 'leading zero read as octal', 'virStrToLong_uip', { fix: true }),
  'pci-decimal': rule('hint', 'plain decimal PCI number (valid)', 'virStrToLong_uip', { fix: true }),
  'pci-zero': rule('warning', 'all-zero or incomplete host address', 'virPCIDeviceAddressIsEmpty'),
  'pci-duplicate': rule('error', 'one host PCI address twice in the document', 'virDomainDefHostdevValidate', { fix: true }),
  'hostdev-duplicate': rule('error', 'one USB, SCSI or mediated host device twice in a guest', 'virDomainHostdevMatchSubsys'),
  'hostdev-options': rule(
    'error',
    "a boot order on a mediated or vhost-scsi host device, display='on' without <graphics>",
    'qemuValidateDomainMdevDefVFIOPCI',
  ),
  'mac-syntax': rule('error', 'not a MAC address libvirt parses', 'virMacAddrParse', { fix: true }),
  'mac-multicast': rule('error', 'multicast MAC', 'virMacAddrIsMulticast', { fix: true }),
  'mac-zero': rule('warning', 'all-zero MAC', 'virDomainNetDefParseXML', { fix: true }),
  'mac-missing': rule('information', 'no <mac>: libvirt generates one at attach', 'virDomainNetGenerateMAC', { fix: true }),
  'mac-duplicate': rule('warning', 'one MAC twice in the document', 'virDomainNetFindIdx'),
  'vlan-tag': rule('error', 'VLAN without a valid tag id', 'virNetDevVlanParse'),
  'vlan-trunk': rule('error', 'VLAN trunk on a VF', 'virNetDevSetNetConfig', { fix: true }),
  'vlan-native-mode': rule('warning', 'nativeMode is ignored on a VF', 'virNetDevVlanParse'),
  'vlan-virtualport': rule('error', '<vlan> together with <virtualport>', 'virHostdevSetNetConfig', { fix: true }),
  'virtualport-type': rule('error', 'virtualport type missing, unknown or not 802.1Qbh', 'virNetDevVPortProfileParse', { fix: true }),
  'virtualport-parameters': rule('error', 'virtualport parameter missing, extra or too long', 'virNetDevVPortProfileCheckComplete'),
  'driver-name': rule('error', 'driver name not vfio (or not one libvirt knows)', 'virDeviceHostdevPCIDriverInfoParseXML', { fix: true }),
  'element-unsupported': rule('error', 'element a hostdev interface does not support', 'qemuValidateDomainDeviceDefNetwork', { fix: true }),
  'element-ignored': rule('warning', 'element with no effect on a VF', 'virDomainActualNetDefValidate', { fix: true }),
  'managed-value': rule('warning', 'managed not yes/no (silently dropped)', 'virXMLPropTristateBool'),
  'guest-address-type': rule('error', 'guest-side address type not pci/unassigned', 'virDomainDeviceAddressParseXML'),
  'address-multifunction': rule('error', 'multifunction not on/off', 'virXMLPropTristateSwitch'),
  teaming: rule('error', 'bad <teaming> type or persistent/transient pairing', 'virDomainNetDefValidate'),
  rom: rule('error', "<rom enabled='no'> with bar or file", 'virDomainDeviceInfoValidate'),
  'boot-order-duplicate': rule('error', 'one boot order on two devices', 'virDomainDefCollectBootOrder'),
  'alias-duplicate': rule('error', 'one user alias on two devices', 'virDomainDefValidateAliases'),
  'guest-address-duplicate': rule(
    'error',
    'one guest-side PCI address on two devices, or not in domain 0',
    'virDomainPCIAddressReserveAddrInternal',
  ),
  zpci: rule('error', 'zPCI uid/fid not valid, reused, or zPCI on another architecture', 'virZPCIDeviceAddressIsValid'),
  'boot-order': rule('error', 'a boot order that is not a positive decimal number', 'virDomainDeviceBootParseXML'),
  'acpi-index': rule(
    'error',
    'an ACPI index that is not a positive decimal number, or on a device without a PCI address',
    'virDomainDeviceInfoParseXML',
  ),
  'device-type': rule('error', 'an interface or hostdev type or mode libvirt does not know', 'virDomainNetTypeFromString'),
  'default-namespace': rule('error', 'a default namespace (xmlns) on the document root', 'virDomainDefParseXML'),
  'pci-unknown': rule('error', 'the address is not on the host', 'virPCIDeviceNew', { inventory: true, fix: true }),
  'pci-not-vf': rule('error', 'hostdev interface on a PF or a non-SR-IOV device', 'virHostdevSaveNetConfig', {
    inventory: true,
    fix: true,
  }),
  'vf-in-use': rule('error', 'another guest holds the VF (live: error; persistent config only: warning)', 'virHostdevIsPCINodeDeviceUsed', {
    inventory: true,
    fix: true,
  }),
  'vf-in-network': rule('warning', "the VF is in an active network's hostdev pool", 'networkAllocatePort', { inventory: true, fix: true }),
  'iommu-group': rule('warning', 'the VF shares its IOMMU group with unassigned devices', 'virHostdevIsPCINodeDeviceUsed', {
    inventory: true,
  }),
  'vf-driver': rule('warning', 'unmanaged and not bound to vfio-pci', 'virHostdevPreparePCIDevices', { inventory: true }),
  'host-iommu': rule('error', 'the host has no active IOMMU', 'qemuHostdevPreparePCIDevicesCheckSupport', { inventory: true }),
  'vf-not-persistent': rule('warning', "nothing recreates the VF's PF's VFs at boot", 'virPCIDeviceNew', { inventory: true }),
  'network-unknown': rule('error', "<interface type='network'> names a network the host does not have", 'virNetworkObjFindByName', {
    inventory: true,
  }),
  'network-inactive': rule('error', 'the network is not active (warning when it autostarts)', 'networkAllocatePort', { inventory: true }),
  'network-pool-exhausted': rule(
    'error',
    'a hostdev pool has no free VF left (warning when only persistent configs hold them)',
    'networkAllocatePort',
    { inventory: true },
  ),
  'network-portgroup': rule('warning', 'a portgroup the network does not define', 'networkAllocatePort', { inventory: true }),
  'network-name': rule('error', 'a <network> without a name, or a name with /', 'virNetworkDefParseXML'),
  'network-forward': rule(
    'error',
    "a hostdev pool's <forward> libvirt refuses (mode, driver, dev, netdevs, two <pf>s, no VFs)",
    'virNetworkForwardDefParseXML',
  ),
  'network-address': rule('error', 'a pool <address> without type pci, or listed twice', 'virNetworkForwardDefParseXML'),
  'network-element': rule('error', 'a bridge, MAC, IP, DNS, domain, MTU or bandwidth in a hostdev pool', 'networkValidate'),
  'network-portgroups': rule(
    'error',
    'a portgroup without a name, twice, a second default, or with bandwidth in a pool',
    'networkValidate',
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
