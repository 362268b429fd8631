// Quick fixes for the diagnostics the client sends back. Each fixer finds the element the
// problem is about from the problem's span (the rules report the narrowest span: an attribute
// value, an element name) and returns plain text edits.
import { freshMac } from './mac';
import {
  PCI_LIMITS,
  formatPciAddress,
  formatPciField,
  parseCanonicalAddress,
  parsePciNumber,
  pciAddressElement,
  type PciField,
} from './pci';
import { addressKey } from './pci';
import { readAddress } from './address';
import { closeStartTag } from './syntaxFixes';
import {
  attributeRemovalSpan,
  deviceContaining,
  documentAddresses,
  elementPath,
  indexOf,
  lineIndent,
  overlaps,
  quoteOf,
  removalSpan,
  takenMacs,
} from './featureSupport';
import { quotedName } from '../../../shared/quotedName';
import { vfName } from '../../../shared/vfUse';
import { attr, childElements } from './xml/query';
import type { DeviceModel, DocumentModel } from './modelTypes';
import type { CodeActionResult, DiagnosticCode, Problem, ServiceContext, Span, TextEdit } from './types';
import type { XmlElement } from './xml/types';
import { freePoolFixes, isNetworkSource, portgroupFixes } from './pools';
import { guestsOf } from './rules/guests';
import { memlockNeed } from './rules/memlockLimit';
import { hostdevPoolNames } from './rules/networkInterface';
import { unitBytes } from './memorySize';
import { sizeWithoutBlanks } from './rules/memorySizes';

interface Env {
  text: string;
  model: DocumentModel;
  ctx: ServiceContext;
  /** MACs already taken, including those handed out by earlier fixes in this request */
  macs: Set<string>;
}

type Fix = { title: string; edits: TextEdit[]; isPreferred?: boolean };
type Fixer = (problem: Problem, device: DeviceModel | null, env: Env) => Fix[];

export function codeActions(model: DocumentModel, range: Span, problems: Problem[], ctx: ServiceContext = {}): CodeActionResult[] {
  const env: Env = { text: model.text, model, ctx, macs: takenMacs(model, ctx) };
  const results: CodeActionResult[] = [];
  for (const problem of problems) {
    if (!overlaps(problem.span, range)) continue;
    const fixer = FIXERS[problem.code];
    if (!fixer) continue;
    const device = deviceContaining(model, problem.span.start);
    for (const fix of fixer(problem, device, env)) {
      results.push({
        title: fix.title,
        kind: 'quickfix',
        fixes: [problem.code],
        diagnosticSpan: problem.span,
        edits: fix.edits,
        ...(fix.isPreferred ? { isPreferred: true } : {}),
      });
    }
  }
  return results;
}

/** The codes some quick fix answers (the catalog's `fixable` column is checked against it). */
export function fixableCodes(): DiagnosticCode[] {
  return Object.keys(FIXERS) as DiagnosticCode[];
}

/** Another pool for a network name that cannot serve the interface (unknown, inactive, no free VF). */
const useFreePool: Fixer = (p, _d, env) => {
  const index = indexOf(env.ctx);
  if (!index) return [];
  return freePoolFixes(index, env.text.slice(p.span.start, p.span.end), env.model.guestName?.value ?? null, p.span);
};

/** The network's own portgroups for one it does not define. */
const useKnownPortgroup: Fixer = (p, _d, env) => {
  const path = elementPath(env.model.xml.roots, p.span.start);
  const source = path[path.length - 1];
  const index = indexOf(env.ctx);
  if (!index || !isNetworkSource(source)) return [];
  const name = attr(source, 'network')?.value ?? null;
  return portgroupFixes(
    index.inventory.networks.find((n) => n.name === name),
    p.span,
  );
};

/**
 * <hard_limit> raised to what libvirt locks for the guest's VFIO devices without one, written in the
 * element's own unit and rounded up; or removed, so that libvirt sizes the lock limit itself.
 */
const raiseHardLimit: Fixer = (p, _d, env) => {
  const element = innermost(env, p, 'hard_limit');
  const domain = element?.parent?.parent ?? null;
  const guest = domain ? guestsOf(env.model).find((g) => g.domain === domain) : undefined;
  const need = guest ? memlockNeed(guest, env.text, hostdevPoolNames(indexOf(env.ctx))) : null;
  const unit = element ? (attr(element, 'unit')?.value ?? null) : null;
  const scale = unitBytes(unit);
  if (!element || !need || scale === null) return [];
  const value = (need.limitKiB * 1024n + scale - 1n) / scale;
  const fixes: Fix[] = [
    {
      title: `Raise hard_limit to ${value} ${unit || 'KiB'} (libvirt's figure for VFIO)`,
      edits: [{ span: p.span, newText: `${value}` }],
      isPreferred: true,
    },
  ];
  if (element.closed)
    fixes.push({
      title: 'Remove <hard_limit> (libvirt then sets the lock limit)',
      edits: [{ span: removalSpan(env.text, element), newText: '' }],
    });
  return fixes;
};

const FIXERS: Partial<Record<DiagnosticCode, Fixer>> = {
  'network-unknown': useFreePool,
  'network-inactive': useFreePool,
  'network-pool-exhausted': useFreePool,
  'network-portgroup': useKnownPortgroup,
  'memlock-limit': raiseHardLimit,
  'memory-size': (p, _d, env) => {
    const value = sizeWithoutBlanks(env.text, p.span);
    return value === null
      ? []
      : [{ title: `Write '${value}' without blanks`, edits: [{ span: p.span, newText: value }], isPreferred: true }];
  },
  'xml-syntax': (p, _d, env) => closeStartTag(p, env.model),
  'mac-syntax': replaceMac,
  'mac-multicast': replaceMac,
  'mac-zero': replaceMac,
  'mac-missing': insertMac,
  'pci-decimal': rewriteHex,
  'pci-octal': rewriteHex,
  'vlan-virtualport': removeVlanOrVirtualport,
  'vlan-trunk': keepFirstTag,
  'virtualport-type': (p, d, env) => toQbh(d?.virtualport ?? innermost(env, p, 'virtualport'), env.text),
  'driver-name': (p, d, env) => setAttribute(d?.driver ?? innermost(env, p, 'driver'), 'name', 'vfio'),
  'element-unsupported': removeElement,
  'element-ignored': removeElement,
  'pci-unknown': useFreeVf,
  'pci-duplicate': useFreeVf,
  'pci-not-vf': useFreeVf,
  'vf-in-use': useFreeVf,
  'vf-in-network': useFreeVf,
};

/** The innermost element named `name` around the problem's start. */
function innermost(env: Env, problem: Problem, name: string): XmlElement | null {
  const path = elementPath(env.model.xml.roots, problem.span.start);
  for (let i = path.length - 1; i >= 0; i--) if (path[i].name === name) return path[i];
  return null;
}

/** Edit that sets attribute `name` of `element` to `value` (replacing, completing or adding it). */
function attributeEdit(element: XmlElement, name: string, value: string): TextEdit {
  const a = attr(element, name);
  const q = quoteOf(element);
  if (a?.valueSpan && a.quote) return { span: a.valueSpan, newText: value };
  if (a) {
    const end = a.valueSpan ? a.valueSpan.end : a.nameSpan.end;
    return { span: { start: a.nameSpan.start, end }, newText: `${name}=${q}${value}${q}` };
  }
  return { span: { start: element.nameSpan.end, end: element.nameSpan.end }, newText: ` ${name}=${q}${value}${q}` };
}

function setAttribute(element: XmlElement | null, name: string, value: string): Fix[] {
  if (!element) return [];
  return [{ title: `Set ${name}='${value}'`, edits: [attributeEdit(element, name, value)], isPreferred: true }];
}

/**
 * type='802.1Qbh', and off its <parameters> go the ones 802.1Qbh does not take (managerid, typeid,
 * interfaceid, …): virNetDevVPortProfileCheckNoExtras would reject them at define. A profileid stays;
 * when there is none, virtualport-parameters keeps saying one is needed (only the user knows it).
 */
function toQbh(virtualport: XmlElement | null, text: string): Fix[] {
  if (!virtualport) return [];
  const edits = [attributeEdit(virtualport, 'type', '802.1Qbh')];
  for (const parameters of childElements(virtualport, 'parameters')) {
    for (const a of parameters.attributes) {
      if (a.name === 'profileid') continue;
      edits.push({ span: attributeRemovalSpan(text, a), newText: '' });
    }
  }
  const dropped = edits.length > 1 ? ' and drop the parameters it does not take' : '';
  return [{ title: `Set type='802.1Qbh'${dropped}`, edits, isPreferred: true }];
}

// ---------------------------------------------------------------------------
// MAC

function nextMac(env: Env): string {
  const mac = freshMac(env.macs, env.ctx.random);
  env.macs.add(mac);
  return mac;
}

function replaceMac(problem: Problem, device: DeviceModel | null, env: Env): Fix[] {
  const mac = innermost(env, problem, 'mac') ?? device?.mac ?? null;
  if (!mac) return [];
  const fresh = nextMac(env);
  return [{ title: `Use fresh MAC ${fresh}`, edits: [attributeEdit(mac, 'address', fresh)], isPreferred: true }];
}

/** Inserts <mac address='…'/> as the device's first child, indented like its siblings. */
function insertMac(_problem: Problem, device: DeviceModel | null, env: Env): Fix[] {
  if (!device || device.element.selfClosing) return [];
  const { text } = env;
  const element = device.element;
  const q = quoteOf(element);
  const fresh = nextMac(env);
  // <mac type='static'/> without an address: complete it (a second <mac> would leave this one behind)
  if (device.mac)
    return [{ title: `Add address='${fresh}' to <mac>`, edits: [attributeEdit(device.mac, 'address', fresh)], isPreferred: true }];
  const mac = `<mac address=${q}${fresh}${q}/>`;
  const first = element.children[0];
  const firstIndent = first ? lineIndent(text, first.start) : null;
  // the document's own line end: an LSP client applies edits as sent, so a CRLF file would get mixed endings
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let edit: TextEdit;
  if (first && firstIndent !== null) {
    const lineStart = first.start - firstIndent.length;
    edit = { span: { start: lineStart, end: lineStart }, newText: `${firstIndent}${mac}${eol}` };
  } else if (!first && element.endTagStart !== null && lineIndent(text, element.endTagStart) !== null) {
    const outer = lineIndent(text, element.start) ?? '';
    edit = { span: { start: element.startTagEnd, end: element.startTagEnd }, newText: `${eol}${outer}  ${mac}` };
  } else {
    edit = { span: { start: element.startTagEnd, end: element.startTagEnd }, newText: mac };
  }
  return [{ title: `Add <mac address='${fresh}'/>`, edits: [edit], isPreferred: true }];
}

// ---------------------------------------------------------------------------
// PCI numbers

function rewriteHex(problem: Problem, device: DeviceModel | null, env: Env): Fix[] {
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
    const fixes: Fix[] = [{ title: `Write ${field}='${read}' (hex)`, edits: [{ span: a.valueSpan, newText: read }], isPreferred: true }];
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
  const ranked: Array<{ fix: Fix; rank: number; order: number }> = [];
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
function readingOnHost(element: XmlElement, field: PciField, value: number, env: Env): { rank: number; what: string } | null {
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
  const use = index.usage.useOf(device.address, env.model.guestName?.value ?? null);
  const name = vfName(device, index.byAddress.get(addressKey(device.pf ?? '')));
  return use.free
    ? { rank: HOST_RANK.freeVf, what: `${canonical} is ${name} on ${quotedName(index.inventory.host)}, free` }
    : { rank: HOST_RANK.usedVf, what: `${canonical} is ${name} on ${quotedName(index.inventory.host)}, ${use.busy}` };
}

// ---------------------------------------------------------------------------
// VLAN, virtualport, unsupported elements

// An element without its end tag (closed=false) ends where recovery closed it, which may take the
// following siblings along: removing it would delete text the user did not point at, so no fix.
function removeVlanOrVirtualport(_problem: Problem, device: DeviceModel | null, env: Env): Fix[] {
  if (!device) return [];
  const fixes: Fix[] = [];
  if (device.vlan && device.vlan.closed)
    fixes.push({ title: 'Remove <vlan>', edits: [{ span: removalSpan(env.text, device.vlan), newText: '' }] });
  if (device.virtualport && device.virtualport.closed)
    fixes.push({ title: 'Remove <virtualport>', edits: [{ span: removalSpan(env.text, device.virtualport), newText: '' }] });
  return fixes;
}

/** libvirt programs only one tag on a VF (virNetDevSetNetConfig): keep the first, drop the rest and trunk. */
function keepFirstTag(problem: Problem, device: DeviceModel | null, env: Env): Fix[] {
  const vlan = device?.vlan ?? innermost(env, problem, 'vlan');
  if (!vlan) return [];
  const tags = childElements(vlan, 'tag');
  if (tags.slice(1).some((t) => !t.closed)) return [];
  const edits: TextEdit[] = tags.slice(1).map((t) => ({ span: removalSpan(env.text, t), newText: '' }));
  const trunk = attr(vlan, 'trunk');
  if (trunk) edits.push({ span: attributeRemovalSpan(env.text, trunk), newText: '' });
  if (edits.length === 0) return [];
  const id = tags[0] ? attr(tags[0], 'id')?.value : null;
  return [{ title: id ? `Keep only VLAN tag ${id}` : 'Keep only the first VLAN tag', edits, isPreferred: true }];
}

function removeElement(problem: Problem, device: DeviceModel | null, env: Env): Fix[] {
  if (!device) return [];
  // The element to remove is the device's direct child that holds the problem (e.g. <port> for port isolated).
  const path = elementPath(env.model.xml.roots, problem.span.start);
  const child = path.find((e) => e.parent === device.element);
  if (!child || !child.closed) return [];
  return [{ title: `Remove <${child.name}>`, edits: [{ span: removalSpan(env.text, child), newText: '' }], isPreferred: true }];
}

// ---------------------------------------------------------------------------
// Free VFs

const SAME_PF_CHOICES = 3;

function useFreeVf(_problem: Problem, device: DeviceModel | null, env: Env): Fix[] {
  const index = indexOf(env.ctx);
  // an <address> without its end tag (closed=false) spans what recovery swallowed: replacing it would delete that
  if (!index || !device?.hostAddress || !device.hostAddress.closed) return [];
  const own = env.model.guestName?.value ?? null;
  const inDocument = documentAddresses(env.model);
  const free = index.usage.freeVfs(own).filter((vf) => !inDocument.has(addressKey(vf.address)));
  const current = readAddress(device.hostAddress).canonical;
  const here = current ? index.byAddress.get(current) : undefined;
  const pf = here?.kind === 'pf' ? here.address : here?.pf;
  const samePf = pf
    ? free.filter((vf) => vf.pf && addressKey(vf.pf) === addressKey(pf)).sort((a, b) => (a.vfIndex ?? 0) - (b.vfIndex ?? 0))
    : [];
  const chosen = samePf.slice(0, SAME_PF_CHOICES);
  // Then any free VF elsewhere: one more choice, or a few when the same PF has none left.
  const others = free.filter((vf) => !chosen.includes(vf)).slice(0, chosen.length ? 1 : SAME_PF_CHOICES);
  chosen.push(...others);
  const quote = quoteOf(device.hostAddress);
  const span = { start: device.hostAddress.start, end: device.hostAddress.end };
  return chosen.map((vf, i) => ({
    title: `Use free VF ${addressKey(vf.address)} (${vfName(vf, index.byAddress.get(addressKey(vf.pf ?? '')))})`,
    edits: [{ span, newText: pciAddressElement(parseCanonicalAddress(vf.address)!, quote, device.kind === 'interface') }],
    isPreferred: i === 0,
  }));
}
