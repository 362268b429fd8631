// What the parser cannot read in any <network> document, whatever its forward mode. Mirrors libvirt's
// virNetworkDefParseXML (src/conf/network_conf.c), which every driver applies at net-define (the test
// driver too): a <uuid> that is no UUID, <network ipv6> not yes/no, <domain localOnly> and <dns
// enable/forwardPlainNames> not yes/no, a <bridge macTableManager> that is no manager, a <mac address>
// that is no unicast MAC, a static <route> whose gateway no <ip> of the network reaches (a pool has no
// <ip>). The parser reads an empty <uuid>, ipv6, macTableManager or mac address as absent.
// networkValidate (src/network/bridge_driver.c) refuses a newline in the name on top (the network
// driver only). Each message was compared with `virsh net-define` on qemu:///session and the test driver.
import { readMac } from '../mac';
import { firstChild } from '../xml/query';
import type { XmlElement } from '../xml/types';
import { attribute, attributeSpan, readUuid, rejectsNetwork, type Report } from './common';
import { writtenUuid } from './definitionUuid';
import { networkNameSpan } from './networkDefinition';

/** virNetworkBridgeMACTableManager's names (0, 'default', is refused too: the parser wants > 0) */
const MAC_TABLE_MANAGERS: ReadonlySet<string> = new Set(['kernel', 'libvirt']);

/**
 * In the parser's order; `text` is the document's, `name` the network's name for libvirt's messages,
 * `fullName` its <name> as read.
 */
export function checkNetworkParse(network: XmlElement, text: string, name: string, fullName: string | null, report: Report): void {
  checkUuid(network, text, report);
  const ipv6 = attribute(network, 'ipv6');
  if (ipv6 && ipv6.value && ipv6.value !== 'yes' && ipv6.value !== 'no')
    report.add(
      'network-element',
      'error',
      attributeSpan(ipv6),
      rejectsNetwork(`ipv6='${ipv6.value}' is not yes or no`, `XML error: Invalid ipv6 setting '${ipv6.value}' in network '${name}'`),
    );
  checkYesNo(firstChild(network, 'domain'), 'localOnly', report);
  const bridge = firstChild(network, 'bridge');
  const manager = bridge ? attribute(bridge, 'macTableManager') : null;
  if (manager && manager.value && !MAC_TABLE_MANAGERS.has(manager.value))
    report.add(
      'network-element',
      'error',
      attributeSpan(manager),
      rejectsNetwork(
        `macTableManager='${manager.value}' is no MAC table manager`,
        `XML error: Invalid macTableManager setting '${manager.value}' in network '${name}'`,
        "Write 'kernel' or 'libvirt'.",
      ),
    );
  checkBridgeMac(network, name, report);
  checkRoutes(network, name, report);
  const dns = firstChild(network, 'dns');
  checkYesNo(dns, 'enable', report);
  checkYesNo(dns, 'forwardPlainNames', report);
  if (fullName?.includes('\n') && firstChild(network, 'name'))
    report.add(
      'network-name',
      'error',
      networkNameSpan(network),
      // the character libvirt names is the newline itself: virsh's line ends there
      rejectsNetwork('The network name spans lines', 'invalid char in name: ', 'Write the name on one line.'),
    );
}

/** virUUIDParse of string(./uuid[1]): an empty one is absent (libvirt generates a UUID). */
function checkUuid(network: XmlElement, text: string, report: Report): void {
  const given = writtenUuid(network, text);
  if (given === null || readUuid(given.written) !== null) return;
  report.add(
    'network-name',
    'error',
    given.span,
    rejectsNetwork(
      `<uuid> '${given.written}' is not a UUID`,
      'internal error: malformed uuid element',
      'Write 32 hex digits (dashes between pairs allowed), or leave <uuid> out and libvirt makes one.',
    ),
  );
}

/** virXMLPropTristateBool: exactly 'yes' or 'no' (an empty value is refused too). */
function checkYesNo(element: XmlElement | null, name: string, report: Report): void {
  const attr = element ? attribute(element, name) : null;
  if (!element || !attr || attr.value === null || attr.value === 'yes' || attr.value === 'no') return;
  report.add(
    'network-element',
    'error',
    attributeSpan(attr),
    rejectsNetwork(
      `<${element.name} ${name}='${attr.value}'> is not yes or no`,
      `XML error: Invalid value for attribute '${name}' in element '${element.name}': '${attr.value}'.`,
      "Write 'yes' or 'no' (lower case).",
    ),
  );
}

/** string(./mac[1]/@address) through virMacAddrParse and the unicast check. */
function checkBridgeMac(network: XmlElement, name: string, report: Report): void {
  const mac = firstChild(network, 'mac');
  const address = mac ? attribute(mac, 'address') : null;
  if (!address || !address.value) return;
  const reading = readMac(address.value);
  if (reading && !reading.multicast) return;
  report.add(
    'network-element',
    'error',
    attributeSpan(address),
    rejectsNetwork(
      reading ? `MAC ${address.value} is multicast` : `MAC '${address.value}' is not a MAC address`,
      `XML error: Invalid ${reading ? 'multicast ' : ''}bridge mac address '${address.value}' in network '${name}'`,
    ),
  );
}

/** a dotted quad as virSocketAddrFormat writes it back: four decimal octets, no leading zeros */
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** a metric of 1 or more and a prefix as plain decimals (other spellings are left to libvirt's parse) */
const METRIC = /^[1-9]\d{0,8}$/;
const PREFIX = /^\d{1,2}$/;

function ipv4Number(raw: string): number {
  return raw.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

/**
 * A <route> virNetDevIPRouteParseXML reads, in the one form checked here: IPv4 address and gateway
 * written as libvirt writes them back, no netmask, a prefix of 0 to 32 (0 when absent) that leaves no
 * host bits in the address, a metric of 1 or more. Other routes may be refused for their own reasons.
 */
function plainIpv4Route(route: XmlElement): boolean {
  const family = attribute(route, 'family');
  const address = attribute(route, 'address')?.value ?? '';
  const gateway = attribute(route, 'gateway')?.value ?? '';
  const prefix = attribute(route, 'prefix');
  const metric = attribute(route, 'metric');
  if ((family && family.value !== 'ipv4') || attribute(route, 'netmask') || !IPV4.test(address) || !IPV4.test(gateway)) return false;
  if (metric && !METRIC.test(metric.value ?? '')) return false;
  if (prefix && !PREFIX.test(prefix.value ?? '')) return false;
  const bits = prefix ? Number(prefix.value) : 0;
  if (bits > 32) return false;
  const hostBits = 32 - bits;
  return ipv4Number(address) % 2 ** hostBits === 0;
}

/**
 * After parsing every <route>, the parser asks whether an <ip> of the network reaches each gateway; a
 * network without <ip> (a hostdev pool has none) reaches none, so its first route is refused. Only
 * when every route is plainIpv4Route: otherwise the parse of one may fail first.
 */
function checkRoutes(network: XmlElement, name: string, report: Report): void {
  if (firstChild(network, 'ip')) return;
  const routes = network.children.filter((c) => c.name === 'route');
  if (routes.length === 0 || !routes.every(plainIpv4Route)) return;
  const gateway = attribute(routes[0], 'gateway')!;
  report.add(
    'network-element',
    'error',
    attributeSpan(gateway),
    rejectsNetwork(
      'A <route> in a network without <ip>: nothing reaches its gateway',
      `unsupported configuration: unreachable static route gateway '${gateway.value}' specified for network '${name}'`,
      'A VF pool routes nothing (the guest sets its own routes): remove <route>.',
    ),
  );
}

/** Whether the parser reads a bridge MAC (a non-empty, valid unicast address), which networkValidate then refuses in a pool. */
export function bridgeMacSpecified(network: XmlElement): boolean {
  const mac = firstChild(network, 'mac');
  const address = mac ? attribute(mac, 'address') : null;
  const reading = address?.value ? readMac(address.value) : null;
  return reading !== null && !reading.multicast;
}
