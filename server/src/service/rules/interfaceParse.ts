// Children of a hostdev interface that libvirt cannot even read (and a network interface's <bandwidth>):
// its parse error comes at define / attach, before the QEMU driver's refusal or the start-time check
// elements.ts would otherwise quote.
// Mirrors libvirt's
//  - virNetDevIPInfoParseXML / virDomainNetIPParseXML: guest-side <ip> needs a numeric address;
//  - virNetDevIPRouteParseXML: guest-side <route> needs a numeric address and gateway;
//  - virDomainNetDefCoalesceParseXML: rx/frames/@max is an unsigned int;
//  - virNetDevBandwidthParse / virNetDevBandwidthParseRate: one <inbound>/<outbound> each, their rates
//    unsigned long longs, average or floor required, floor only inbound and only on type='network'.
import type { Span } from '../types';
import type { XmlElement } from '../xml/types';
import { attribute, attributeSpan, attributeValue, readUnsignedLong } from './common';

/** What libvirt's parser says about a child it cannot read, and where. */
export interface ParseError {
  span: Span;
  problem: string;
  error: string;
}

/** inet_aton's forms: one to four parts, each decimal, octal or 0x hex ('10.1', '0x7f.1', '192.168.0.1') */
const INET_ATON_FORM = /^(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}$/i;
/** what could be an IPv6 address: hex groups around at least one ':', perhaps a dotted IPv4 tail */
const IPV6_FORM = /^[0-9a-f:]*:[0-9a-f:]*(?:[0-9]+(?:\.[0-9]+){3})?$/i;

/**
 * virSocketAddrParse reads through getaddrinfo(AI_NUMERICHOST): besides plain IPv4/IPv6 it takes
 * inet_aton's short forms and scoped IPv6 ('fe80::1%eth0'); only what none of those can be is called
 * bad here (the service loads no network module: the forms are matched, not resolved).
 */
function notAnAddress(raw: string): boolean {
  if (raw.includes('%')) return false;
  return !INET_ATON_FORM.test(raw) && !IPV6_FORM.test(raw);
}

function guestIpError(ip: XmlElement): ParseError | null {
  const address = attribute(ip, 'address');
  if (!address) return { span: ip.nameSpan, problem: '<ip> without an address', error: 'XML error: Missing required address in <ip>' };
  if (!notAnAddress(address.value ?? '')) return null;
  return {
    span: attributeSpan(address),
    problem: `<ip address='${address.value}'> is not an IP address`,
    error: `XML error: Invalid address '${address.value}' in <ip>`,
  };
}

function routeError(route: XmlElement): ParseError | null {
  for (const [name, wording] of [
    ['address', 'network address'],
    ['gateway', 'gateway address'],
  ] as const) {
    const attr = attribute(route, name);
    if (!attr)
      return {
        span: route.nameSpan,
        problem: `<route> without ${name}`,
        error: `XML error: guest interface: Missing required ${name} attribute in route definition`,
      };
    if (notAnAddress(attr.value ?? ''))
      return {
        span: attributeSpan(attr),
        problem: `<route ${name}='${attr.value}'> is not an IP address`,
        error: `XML error: guest interface: Bad ${wording} '${attr.value}' in route definition`,
      };
  }
  return null;
}

/** the attribute string(./rx/frames/@max) finds: the first in document order */
function coalesceMax(coalesce: XmlElement): XmlElement | null {
  for (const rx of coalesce.children) {
    if (rx.name !== 'rx') continue;
    for (const frames of rx.children) if (frames.name === 'frames' && attribute(frames, 'max')) return frames;
  }
  return null;
}

/** An empty max reads as no value (no coalesce at all); elements.ts's parsedToSomething asks this too. */
export function coalesceMaxWritten(coalesce: XmlElement): boolean {
  const frames = coalesceMax(coalesce);
  return frames !== null && attributeValue(frames, 'max') !== '';
}

function coalesceError(coalesce: XmlElement): ParseError | null {
  const frames = coalesceMax(coalesce);
  const max = frames && attribute(frames, 'max');
  if (!max || max.value === '') return null;
  const value = readUnsignedLong(max.value ?? '');
  if (value !== null && value <= 0xffffffffn) return null;
  return {
    span: attributeSpan(max),
    problem: `<coalesce> frames max='${max.value}' is not a number up to 4294967295`,
    error:
      value === null
        ? `cannot parse value '${max.value}' for coalesce parameter`
        : `numerical overflow: value '${max.value}' is too big for coalesce parameter, maximum is '4294967295'`,
  };
}

const RATES = ['average', 'peak', 'burst', 'floor'] as const;

/** One <inbound> or <outbound>, in the order libvirt checks it (only a network interface allows an inbound floor). */
function rateError(rate: XmlElement, allowFloor: boolean): ParseError | null {
  for (const name of RATES) {
    const attr = attribute(rate, name);
    if (attr && readUnsignedLong(attr.value ?? '') === null)
      return {
        span: attributeSpan(attr),
        problem: `<${rate.name} ${name}='${attr.value}'> is not a number`,
        error: `unsupported configuration: could not convert bandwidth ${name} value '${attr.value}'`,
      };
  }
  const has = (name: string): boolean => attribute(rate, name) !== null;
  if (!has('average') && !has('floor'))
    return { span: rate.nameSpan, problem: `<${rate.name}> without average`, error: 'Missing mandatory average or floor attributes' };
  if ((has('peak') || has('burst')) && !has('average'))
    return {
      span: rate.nameSpan,
      problem: `<${rate.name}> with peak or burst but no average`,
      error: "unsupported configuration: 'peak' and 'burst' require 'average' attribute",
    };
  if (!has('floor') || (allowFloor && rate.name === 'inbound')) return null;
  const floor = attributeSpan(attribute(rate, 'floor')!);
  return rate.name === 'outbound'
    ? { span: floor, problem: '<outbound floor>', error: "unsupported configuration: 'floor' attribute allowed only in <inbound> element" }
    : {
        span: floor,
        problem: "<inbound floor> outside an interface of type='network'",
        error: 'unsupported configuration: floor attribute is not supported for this config',
      };
}

/** virNetDevBandwidthParse's error for a <bandwidth>; `allowFloor` on an interface of type='network'. */
export function bandwidthParseError(bandwidth: XmlElement, allowFloor: boolean): ParseError | null {
  const rates: XmlElement[] = [];
  for (const direction of ['inbound', 'outbound']) {
    const found = bandwidth.children.filter((c) => c.name === direction);
    if (found.length > 1)
      return {
        span: found[1].nameSpan,
        problem: `A second <${direction}> in <bandwidth>`,
        error: `Only one child <${direction}> element allowed`,
      };
    if (found.length) rates.push(found[0]);
  }
  for (const rate of rates) {
    const error = rateError(rate, allowFloor);
    if (error) return error;
  }
  return null;
}

/** libvirt's parse error for an interface child (guest-side, not under <source>), or null when it reads it. */
export function interfaceChildParseError(child: XmlElement): ParseError | null {
  switch (child.name) {
    case 'ip':
      return guestIpError(child);
    case 'route':
      return routeError(child);
    case 'coalesce':
      return coalesceError(child);
    case 'bandwidth':
      return bandwidthParseError(child, false);
    default:
      return null;
  }
}
