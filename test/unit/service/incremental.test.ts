// Parsing again after an edit (only the edited device) must give exactly what a full parse of the new
// text gives: the same tree, devices, syntax problems and diagnostics. Deterministic random edits (fixed
// seed) typed into the corpus, the examples and a generated multi-device domain, each version built from
// the previous one, compared with a from-scratch parse and validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { createLanguageService, type ParsedDocument } from '../../../server/src/service/index';
import { changeBetween, reparseEdited } from '../../../server/src/service/incremental';
import { StringTable } from '../../../server/src/service/xml/strings';
import type { XmlElement } from '../../../server/src/service/xml/types';
import { context82576, hostdevInterface, corpusTexts, seededRandom } from './helpers';

const SEED = Number(process.env.INCREMENTAL_SEED ?? 20261202);

const corpus = (): string[] => corpusTexts(['reject', 'accept-fails-at-start']);

/** A domain with several hostdev interfaces and a <disk>, VFs of the 82576 fixture. */
function domainWithDevices(): string {
  const devices = [0, 1, 2, 3].map((i) =>
    hostdevInterface(
      `<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x${i}'/>`,
      `  <vlan><tag id='${10 + i}'/></vlan>\n`,
    ),
  );
  return (
    `<domain type='kvm'>\n  <name>web01</name>\n  <devices>\n` +
    `    <disk type='file' device='disk'><source file='/a.qcow2'/><target dev='vda' bus='virtio'/></disk>\n` +
    devices.join('') +
    `    <hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0' bus='0x0b' slot='0x10' function='0x4'/></source></hostdev>\n` +
    `  </devices>\n</domain>\n`
  );
}

/** What is typed: mostly letters and digits, sometimes markup that breaks the structure. */
const TYPED = ['a', '0', 'x', '1', 'f', ' ', '\n', '\r', '\r\n'];
const MARKUP = ["'", '"', '<', '>', '/', '=', '&', '&amp;', ';', '</mac>', '<!--', '-->', '<!DOCTYPE', '</devices>', '\u0001', '<mac/>'];

/** One keystroke-sized edit, mostly inside a device (where the partial parse applies). */
function edit(text: string, next: () => number): string {
  const pieces = next() < 0.75 ? TYPED : MARKUP;
  const tags = [...text.matchAll(/<(interface|hostdev|mac|address|vlan|tag|source|disk)\b/g)].map((m) => m.index!);
  const anchor = tags.length > 0 && next() < 0.85 ? tags[Math.floor(next() * tags.length)] : 0;
  const at = Math.min(text.length, anchor + Math.floor(next() * 60));
  const removed = next() < 0.4 ? Math.floor(next() * 4) : 0;
  const inserted = next() < 0.7 ? pieces[Math.floor(next() * pieces.length)] : '';
  return text.slice(0, at) + inserted + text.slice(Math.min(text.length, at + removed));
}

/** The tree as plain data (no parent links), for deepEqual. */
function plain(el: XmlElement): unknown {
  return {
    name: el.name,
    start: el.start,
    nameSpan: { ...el.nameSpan },
    startTagEnd: el.startTagEnd,
    selfClosing: el.selfClosing,
    endTagStart: el.endTagStart,
    end: el.end,
    closed: el.closed,
    attributes: el.attributes.map((a) => ({ ...a, nameSpan: { ...a.nameSpan }, valueSpan: a.valueSpan && { ...a.valueSpan } })),
    textSpans: el.textSpans.map((s) => ({ ...s })),
    children: el.children.map(plain),
  };
}

function parentsConsistent(el: XmlElement, parent: XmlElement | null): void {
  assert.equal(el.parent, parent, `<${el.name}> at ${el.start} has the wrong parent`);
  for (const c of el.children) parentsConsistent(c, el);
}

function sameModel(actual: ParsedDocument, expected: ParsedDocument, where: string): void {
  assert.equal(actual.text, expected.text, where);
  assert.deepEqual(actual.xml.roots.map(plain), expected.xml.roots.map(plain), `${where}: tree`);
  for (const r of actual.xml.roots) parentsConsistent(r, null);
  const byStart = (a: { span: { start: number; end: number }; message: string }, b: typeof a) =>
    a.span.start - b.span.start || a.span.end - b.span.end || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
  assert.deepEqual([...actual.xml.problems].sort(byStart), [...expected.xml.problems].sort(byStart), `${where}: syntax problems`);
  assert.deepEqual(
    actual.devices.map((d) => [d.kind, d.element.start, d.hostAddress?.start ?? null, d.mac?.start ?? null]),
    expected.devices.map((d) => [d.kind, d.element.start, d.hostAddress?.start ?? null, d.mac?.start ?? null]),
    `${where}: devices`,
  );
  assert.deepEqual(actual.guestName, expected.guestName, `${where}: guest name`);
  assert.equal(actual.domain?.start ?? null, expected.domain?.start ?? null, `${where}: domain`);
}

test('changeBetween finds the common prefix and suffix; equal texts have no change', () => {
  assert.deepEqual(changeBetween('abcdef', 'abXdef'), { start: 2, oldEnd: 3, newEnd: 3 });
  assert.deepEqual(changeBetween('abc', 'abcd'), { start: 3, oldEnd: 3, newEnd: 4 });
  assert.deepEqual(changeBetween('aaaa', 'aaa'), { start: 3, oldEnd: 4, newEnd: 3 });
  assert.equal(changeBetween('same', 'same'), null);
});

test('an edit inside one device parses only that device and keeps the models of the others', () => {
  const service = createLanguageService();
  const text = domainWithDevices();
  const first = service.parseDocument(text);
  const others = first.devices.slice(1);
  const at = text.indexOf("<tag id='10'") + "<tag id='1".length;
  const edited = text.slice(0, at) + '7' + text.slice(at + 1);
  const second = service.updateDocument(first, edited);
  assert.deepEqual(
    second.devices.slice(1).map((d) => d === others[second.devices.indexOf(d) - 1]),
    others.map(() => true),
  );
  sameModel(second, service.parseDocument(edited), 'one edit');
});

test(`random edits (seed ${SEED}): parsing only the edited device gives the full parse's tree, problems and diagnostics`, () => {
  const texts = [domainWithDevices(), ...corpus()];
  const next = seededRandom(SEED);
  const ctx = context82576();
  let partial = 0;
  let steps = 0;
  for (let t = 0; t < texts.length; t++) {
    const service = createLanguageService();
    const fresh = createLanguageService();
    let text = texts[t];
    let document = service.parseDocument(text);
    const edits = t === 0 ? 400 : 25;
    for (let k = 0; k < edits; k++) {
      // back to the original text now and then: a document broken beyond repair is always parsed whole
      if (k % 8 === 7) {
        text = texts[t];
        document = service.parseDocument(text);
      }
      const after = edit(text, next);
      const where = `text ${t}, edit ${k} (seed ${SEED})`;
      // how often the partial path is taken, on a throw-away copy of the same state
      const change = changeBetween(text, after);
      if (change && reparseEdited(service.parseDocument(text), after, change, new StringTable())) partial++;
      document = service.updateDocument(document, after);
      text = after;
      steps++;
      const expected = fresh.parseDocument(text);
      sameModel(document, expected, where);
      assert.deepEqual(service.validate(document, ctx), fresh.validate(expected, ctx), `${where}: diagnostics`);
    }
  }
  // the comparison means something only when the partial path ran often: about a third of these edits
  // take it (the rest break a tag or land between devices), on the generated domain and the corpus alike,
  // so the bound sits below that rate and a new corpus case does not move the test across it
  assert.ok(partial > steps / 4, `only ${partial} of ${steps} edits were parsed partially`);
});

test("an edit that nests a device's elements past libxml2's depth limit is caught as in a full parse", () => {
  const service = createLanguageService();
  // <domain> and <devices> hold the device: 2 + 254 open elements, then one more level is edited in
  const deep = (leaf: string): string =>
    `<domain type='kvm'><name>g</name><devices>\n<metadata>${'<a>'.repeat(253)}${leaf}${'</a>'.repeat(253)}</metadata>\n</devices></domain>\n`;
  const before = deep('<b>x</b>');
  const after = deep('<b><c/></b>');
  const first = service.parseDocument(before);
  assert.deepEqual(first.xml.problems, []);
  const change = changeBetween(before, after)!;
  assert.equal(reparseEdited(service.parseDocument(before), after, change, new StringTable()), null, 'the whole document is parsed again');
  const second = service.updateDocument(first, after);
  assert.deepEqual(
    second.xml.problems.map((p) => p.message),
    [`Elements nested more than 257 deep: libvirt's XML parser (libxml2) stops with "Excessive depth in document: 256"`],
  );
  sameModel(second, service.parseDocument(after), 'the deepening edit');
});
