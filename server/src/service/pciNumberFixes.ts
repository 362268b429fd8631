// Quick fixes for PCI numbers libvirt reads otherwise than the user may have meant: a decimal
// number (libvirt reads hex) or one with a leading zero (libvirt reads octal). With an inventory the
// reading that names a VF of the host is ranked first.
import { PCI_LIMITS, addressKey, formatPciAddress, formatPciField, parsePciNumber, type PciField } from './pci';
import { readAddress } from './address';
import { indexOf, overlaps } from './featureSupport';
import { quotedName } from '../../../shared/quotedName';
import { vfName } from '../../../shared/vfUse';
import { innermost, type FixEnv, type QuickFix } from './quickFix';
import type { DeviceModel } from './modelTypes';
import { guestOf } from './rules/guests';
import type { Problem } from './types';
import type { XmlElement } from './xml/types';

export function rewriteHex(problem: Problem, device: DeviceModel | null, env: FixEnv): QuickFix[] {
  // the <address> holding the number: the host's, or a guest-side one
  const element = innermost(env, problem, 'address') ?? device?.hostAddress ?? null;
  if (!element) return [];
  const a = element.attributes.find((x) => x.valueSpan && overlaps(x.valueSpan, problem.span) && x.name in PCI_LIMITS);
  if (!a || a.value === null || !a.valueSpan) return [];
  const field = a.name as PciField;
  const parsed = parsePciNumber(a.value);
  if (!parsed.ok) return [];
  const read = formatPciField(field, parsed.value);
  const digits = a.value.trim().replace(/^\+/, '');
  if (problem.code === 'pci-decimal') {
    // The hint's message names both: the same number in hex (preferred: it is what libvirt reads
    // now) and the digits read as hex, for whoever copied them from lspci without the 0x.
    const fixes: QuickFix[] = [
      { title: `Write ${field}='${read}' (hex)`, edits: [{ span: a.valueSpan, newText: read }], isPreferred: true },
    ];
    const asHex = parseInt(digits, 16);
    if (asHex <= PCI_LIMITS[field]) {
      const text = formatPciField(field, asHex);
      fixes.push({ title: `Write ${field}='${text}' (if hex was meant)`, edits: [{ span: a.valueSpan, newText: text }] });
    }
    return fixes;
  }
  // What libvirt reads, then the same digits read as decimal and as hex: the two other things a leading
  // zero may have meant (the diagnostic's message names all three).
  const readings: Array<[number, string]> = [
    [parsed.value, 'what libvirt reads'],
    [parseInt(digits, 10), 'if decimal was meant'],
    [parseInt(digits, 16), 'if hex was meant'],
  ];
  const offered = new Set<string>();
  const ranked: Array<{ fix: QuickFix; rank: number; order: number }> = [];
  for (const [value, why] of readings) {
    if (!(value <= PCI_LIMITS[field])) continue;
    const text = formatPciField(field, value);
    if (offered.has(text)) continue;
    offered.add(text);
    const onHost = element === device?.hostAddress ? readingOnHost(element, field, value, env) : null;
    const title = `Write ${text} (${why})${onHost ? ` — ${onHost.what}` : ''}`;
    ranked.push({
      fix: { title, edits: [{ span: a.valueSpan, newText: text }] },
      rank: onHost?.rank ?? HOST_RANK.absent,
      order: ranked.length,
    });
  }
  // With an inventory the reading that names a VF of the host comes first and is preselected: the
  // digits were most likely copied from that host (a free VF before one a guest holds).
  ranked.sort((x, y) => x.rank - y.rank || x.order - y.order);
  if (ranked[0] && ranked[0].rank < HOST_RANK.otherDevice) ranked[0].fix.isPreferred = true;
  return ranked.map((r) => r.fix);
}

const HOST_RANK = { freeVf: 0, usedVf: 1, otherDevice: 2, absent: 3 } as const;

/** What the host has at the address the element names with `field` read as `value`; null without inventory or device. */
function readingOnHost(element: XmlElement, field: PciField, value: number, env: FixEnv): { rank: number; what: string } | null {
  const index = indexOf(env.ctx);
  if (!index) return null;
  const numbers = readAddress(element).fields.map((f) => {
    if (f.field === field) return value;
    if (!f.parsed) return 0;
    return f.parsed.ok && f.parsed.value <= PCI_LIMITS[f.field] ? f.parsed.value : -1;
  });
  if (numbers.some((n) => n < 0)) return null;
  const [domain, bus, slot, fn] = numbers;
  const canonical = formatPciAddress({ domain, bus, slot, function: fn });
  const device = index.byAddress.get(canonical);
  if (!device) return null;
  if (device.kind !== 'vf')
    return {
      rank: HOST_RANK.otherDevice,
      what: `${canonical} is a ${device.kind === 'pf' ? 'PF' : 'device'} on ${quotedName(index.inventory.host)}, not a VF`,
    };
  const use = index.usage.useOf(device.address, guestOf(env.model, element));
  const name = vfName(device, index.byAddress.get(addressKey(device.pf ?? '')));
  return use.free
    ? { rank: HOST_RANK.freeVf, what: `${canonical} is ${name} on ${quotedName(index.inventory.host)}, free` }
    : { rank: HOST_RANK.usedVf, what: `${canonical} is ${name} on ${quotedName(index.inventory.host)}, ${use.busy}` };
}
