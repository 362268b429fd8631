// Sizes of the guest's memory that libvirt refuses at define/attach: the whole guest is refused
// with them. Mirrors libvirt's (9.0)
//  - virDomainDefParseMemory (src/conf/domain_conf.c): <memory>, <currentMemory>, <maxMemory>
//    (virDomainParseMemory, './memory[1]' …), <memoryBacking><hugepages><page size>
//    (virDomainHugepagesParseXML, required);
//  - virDomainDefParseXML's memtune part (src/conf/domain_conf.c): <hard_limit>, <soft_limit>,
//    <swap_hard_limit> (virDomainParseMemoryLimit), <min_guarantee> (virDomainParseMemory);
//  - virDomainNumaDefParseXML (src/conf/numa_conf.c): each <cpu><numa><cell memory> (required);
//  - virDomainMemoryDefParseXML (src/conf/domain_conf.c) for a memory device of a model libvirt knows:
//    its <target><size> (required), <label><size> (nvdimm), <block> and <requested> (virtio-mem) in
//    virDomainMemoryTargetDefParseXML, <source><pagesize> (dimm, virtio-mem) and <alignsize> (nvdimm)
//    in virDomainMemorySourceDefParseXML.
// Each value is read by memorySize.ts (virParseScaledValue, virScaleInteger); libvirt stops at the
// first refusal, this reports every one, each with the error libvirt gives for it alone.
import { isRefusal, readMemory, readMemoryLimit, sizeError, sizeText, unitBytes, type SizeRefusal } from '../memorySize';
import type { Span } from '../types';
import type { XmlElement } from '../xml/types';
import { attribute, attributeSpan, attributeValue, children, firstChild, rejects, type Report } from './common';
import type { Guest } from './guests';

/** Where a size sits and how libvirt reads it. */
interface SizeSite {
  /** the element holding the value (or the attribute) */
  element: XmlElement;
  /** the attribute holding the value; null: the element's text */
  attribute: string | null;
  /** the path libvirt's error names it by */
  xpath: string;
  /** in our messages: '<memtune><hard_limit>', '<cell memory>' */
  label: string;
  reader: 'memory' | 'limit';
  required: boolean;
  /** a required element that is not there: `element` is its parent, where the problem is shown */
  absent?: true;
}

const GUEST_ELEMENTS: readonly { path: [string] | [string, string]; reader: 'memory' | 'limit' }[] = [
  { path: ['memory'], reader: 'memory' },
  { path: ['currentMemory'], reader: 'memory' },
  { path: ['maxMemory'], reader: 'memory' },
  { path: ['memtune', 'hard_limit'], reader: 'limit' },
  { path: ['memtune', 'soft_limit'], reader: 'limit' },
  { path: ['memtune', 'min_guarantee'], reader: 'memory' },
  { path: ['memtune', 'swap_hard_limit'], reader: 'limit' },
];

const MEMORY_MODELS = new Set(['dimm', 'nvdimm', 'virtio-pmem', 'virtio-mem', 'sgx-epc']);

export function checkMemorySizes(guests: readonly Guest[], text: string, report: Report): void {
  for (const guest of guests) {
    const sites: SizeSite[] = [];
    if (guest.domain) guestSites(guest.domain, sites);
    const devices = guest.devices;
    // an indexed loop: a guest has a thousand devices, and a for-of makes an object per step until V8 optimizes it
    for (let i = 0; i < devices.length; i++) if (devices[i].name === 'memory') memoryDeviceSites(devices[i], sites);
    for (const site of sites) checkSite(site, text, report);
  }
}

function guestSites(domain: XmlElement, sites: SizeSite[]): void {
  for (const { path, reader } of GUEST_ELEMENTS) {
    const element = path.length === 1 ? firstChild(domain, path[0]) : firstNested(domain, path[0], path[1]);
    if (!element) continue;
    const xpath = `./${path.join('/')}[1]`;
    const label = path.map((p) => `<${p}>`).join('');
    sites.push({ element, attribute: null, xpath, label, reader, required: false });
  }
  const cpu = firstChild(domain, 'cpu');
  const numa = cpu ? firstChild(cpu, 'numa') : null;
  for (const cell of numa ? children(numa, 'cell') : [])
    sites.push({ element: cell, attribute: 'memory', xpath: './@memory', label: '<cell memory>', reader: 'memory', required: true });
  for (const backing of children(domain, 'memoryBacking'))
    for (const hugepages of children(backing, 'hugepages'))
      for (const page of children(hugepages, 'page'))
        sites.push({
          element: page,
          attribute: 'size',
          xpath: './@size',
          label: '<hugepages><page size>',
          reader: 'memory',
          required: true,
        });
}

function memoryDeviceSites(device: XmlElement, sites: SizeSite[]): void {
  const model = attributeValue(device, 'model');
  if (model === null || !MEMORY_MODELS.has(model)) return;
  const add = (parent: XmlElement, path: string[], required: boolean) => {
    const element = path.length === 1 ? firstChild(parent, path[0]) : firstNested(parent, path[0], path[1]);
    const label = `Memory device ${parent.name === 'source' ? '<source>' : '<target>'}${path.map((p) => `<${p}>`).join('')}`;
    if (element) sites.push({ element, attribute: null, xpath: `./${path.join('/')}`, label, reader: 'memory', required });
  };
  const source = firstChild(device, 'source');
  if (source && (model === 'dimm' || model === 'virtio-mem')) add(source, ['pagesize'], false);
  if (source && model === 'nvdimm') add(source, ['alignsize'], false);
  const target = firstChild(device, 'target');
  if (!target) return;
  if (firstChild(target, 'size')) add(target, ['size'], true);
  else
    sites.push({
      element: target,
      attribute: null,
      xpath: './size',
      label: '<target><size>',
      reader: 'memory',
      required: true,
      absent: true,
    });
  if (model === 'nvdimm') add(target, ['label', 'size'], false);
  if (model === 'virtio-mem') {
    add(target, ['block'], false);
    add(target, ['requested'], false);
  }
}

/** The first <child> of any <parent> under `root`, in document order, as libvirt's './parent/child[1]' finds it. */
function firstNested(root: XmlElement, parent: string, child: string): XmlElement | null {
  for (const p of children(root, parent)) {
    const c = firstChild(p, child);
    if (c) return c;
  }
  return null;
}

function checkSite(site: SizeSite, text: string, report: Report): void {
  if (site.absent) {
    report.add('memory-size', 'error', site.element.nameSpan, message(site, { why: 'missing' }));
    return;
  }
  const { element } = site;
  const valueAttr = site.attribute === null ? null : attribute(element, site.attribute);
  const raw = site.attribute === null ? sizeText(text, element) : (valueAttr?.value ?? '');
  const unit = attributeValue(element, 'unit');
  const reading = site.reader === 'limit' ? readMemoryLimit(raw, unit) : readMemory(raw, unit, site.required);
  if (!isRefusal(reading)) return;
  let span: Span;
  const unitAttr = attribute(element, 'unit');
  if (reading.why === 'unknown-unit' && unitAttr) span = attributeSpan(unitAttr);
  else if (valueAttr) span = attributeSpan(valueAttr);
  else span = site.attribute === null ? (textSpan(element) ?? element.nameSpan) : element.nameSpan;
  report.add('memory-size', 'error', span, message(site, reading));
}

/** The element's content as written, blanks included (they are part of what libvirt refuses). */
function textSpan(element: XmlElement): Span | null {
  if (element.children.length === 0 && element.endTagStart !== null)
    return element.endTagStart > element.startTagEnd ? { start: element.startTagEnd, end: element.endTagStart } : null;
  const spans = element.textSpans;
  return spans.length === 0 ? null : { start: spans[0].start, end: spans[spans.length - 1].end };
}

function message(site: SizeSite, refusal: SizeRefusal): string {
  const [problem, advice] = explain(site, refusal);
  return rejects(problem, sizeError(refusal, site.xpath), advice);
}

// How a value libvirt does not read as a number is written, to say what is wrong with it.
const BLANK_AFTER = /^\s*\+?([0-9]+)\s+$/;
const NEGATIVE = /^\s*-/;
const UNIT_IN_TEXT = /^\s*\+?([0-9]+)\s*([A-Za-z]+)\s*$/;
const HEX = /^\s*\+?0[xX][0-9a-fA-F]+\s*$/;
const FRACTION = /^\s*\+?[0-9]*[.,][0-9]+\s*$/;
const DIGITS = /^\s*\+?[0-9]+$/;
const PLUS = /^\+/;
const PLAIN_NUMBER = /^\+?[0-9]{1,19}$/;
const PLURAL = /s$/i;
const MEMTUNE = /^<memtune>/;

const UNITS =
  'libvirt takes b or bytes, KiB, MiB, GiB, TiB, PiB, EiB (also k, M, G, T, P, E: powers of 1024) and KB, MB, GB, TB, PB, EB (powers of 1000), in any case; without a unit, KiB.';

/** What is wrong, in the user's terms, and the fix. */
function explain(site: SizeSite, refusal: SizeRefusal): [string, string] {
  const { label } = site;
  switch (refusal.why) {
    case 'missing': {
      if (site.absent) return ['The memory device has no <target><size>', "Give its size, e.g. <size unit='GiB'>1</size>."];
      const name = site.element.name;
      const example = site.attribute ? `${site.attribute}='1' unit='GiB'` : `<${name} unit='GiB'>1</${name}>`;
      const missing = site.attribute !== null && !attribute(site.element, site.attribute);
      return [`${label} is ${missing ? 'missing' : 'empty'}`, `Give the size, e.g. ${example}.`];
    }
    case 'unknown-unit': {
      const unit = refusal.unit.trim();
      const close = [unit, `${unit}B`, unit.replace(PLURAL, '')].find((u) => u !== refusal.unit && u !== '' && unitBytes(u) !== null);
      return [`Unknown unit '${refusal.unit}' on ${label}`, `${close ? `Write unit='${close}'. ` : ''}${UNITS}`];
    }
    case 'too-large':
    case 'size-too-large':
      return [`${label} is too large`, `libvirt takes sizes below 8 EiB.${noLimit(site)}`];
    case 'not-a-number':
      return notANumber(site, refusal.value);
  }
}

/** For a *_limit: how to say "no limit" instead. */
const noLimit = (site: SizeSite): string => (site.reader === 'limit' ? ` For no limit, remove ${site.label.replace(MEMTUNE, '')}.` : '');

function notANumber(site: SizeSite, value: string): [string, string] {
  const { label } = site;
  const blank = BLANK_AFTER.exec(value);
  if (blank)
    return [`${label} has a blank after its number`, `libvirt reads the whole value as the number: write ${blank[1]} without the blank.`];
  if (NEGATIVE.test(value)) return [`${label} is negative`, `A size is 0 or more.${noLimit(site)}`];
  const withUnit = UNIT_IN_TEXT.exec(value);
  if (withUnit && unitBytes(withUnit[2]) !== null && site.attribute === null) {
    const name = site.element.name;
    return [
      `${label} has its unit in the text`,
      `Give the unit in the unit attribute: <${name} unit='${withUnit[2]}'>${withUnit[1]}</${name}>.`,
    ];
  }
  if (HEX.test(value))
    return [`${label} is hexadecimal`, `libvirt reads sizes in decimal: write ${BigInt(value.trim().replace(PLUS, ''))}.`];
  if (FRACTION.test(value))
    return [`${label} is not a whole number`, 'libvirt takes whole numbers only: give the size in a smaller unit (1.5 GiB as 1536 MiB).'];
  if (DIGITS.test(value)) return [`${label} is too large`, `libvirt takes sizes below 8 EiB.${noLimit(site)}`];
  if (value.trim() === '') return [`${label} is blank`, `Give the size as a decimal number.${noLimit(site)}`];
  return [`${label} is not a number`, 'libvirt reads a size as a decimal number of the unit in the unit attribute (KiB without one).'];
}

/**
 * The quick fix for a size whose only fault is blanks around it (`<hard_limit>2097152 </hard_limit>`,
 * a pretty-printed `<memory>` on lines of its own, unit='GiB '): the value without them; null otherwise.
 */
export function sizeWithoutBlanks(text: string, span: Span): string | null {
  const written = text.slice(span.start, span.end);
  const trimmed = written.trim();
  if (trimmed === written || !(PLAIN_NUMBER.test(trimmed) || unitBytes(trimmed) !== null)) return null;
  return trimmed;
}
