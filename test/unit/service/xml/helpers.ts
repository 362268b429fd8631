// Shared by the XML and model tests: '|' markers for exact offsets, and a structural sanity check.
import assert from 'node:assert/strict';
import type { XmlAttribute, XmlDocument, XmlElement } from '../../../../server/src/service/xml/types';
import { decodeXmlText } from '../../../../server/src/service/xml/query';

/** Removes every '|' from src and returns the text and the offsets where the markers were. */
export function marked(src: string): { text: string; at: number[] } {
  const parts = src.split('|');
  let text = parts[0];
  const at: number[] = [];
  for (const part of parts.slice(1)) {
    at.push(text.length);
    text += part;
  }
  return { text, at };
}

/** What an attribute says, as plain data (spans are computed when read), for deepEqual. */
export function attributeData(a: XmlAttribute | undefined): unknown {
  if (!a) return a;
  return { name: a.name, nameSpan: a.nameSpan, value: a.value, valueSpan: a.valueSpan, quote: a.quote, closed: a.closed };
}

/** the n-th (0-based) occurrence of needle in text */
export function nth(text: string, needle: string, n = 0): number {
  let i = -1;
  for (let k = 0; k <= n; k++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`occurrence ${n} of ${needle} not found`);
  }
  return i;
}

/**
 * Invariants every parse result keeps, checked iteratively: offsets ordered and inside the text,
 * children inside their parent and in order, parent links right, problems sorted out per offset.
 * Returns the number of elements.
 */
export function assertSane(doc: XmlDocument): number {
  const len = doc.text.length;
  const stack: Array<{ el: XmlElement; parent: XmlElement | null }> = doc.roots.map((el) => ({ el, parent: null }));
  let count = 0;
  while (stack.length > 0) {
    const { el, parent } = stack.pop()!;
    count++;
    assert.equal(el.parent, parent);
    assert.ok(el.start >= 0 && el.start < el.nameSpan.start && el.nameSpan.end <= el.startTagEnd, `start tag of <${el.name}>`);
    assert.ok(el.startTagEnd <= el.end && el.end <= len, `end of <${el.name}>`);
    assert.equal(doc.text.substring(el.nameSpan.start, el.nameSpan.end), el.name);
    if (parent) assert.ok(el.start >= parent.startTagEnd && el.end <= parent.end, `<${el.name}> inside <${parent.name}>`);
    let prevEnd = el.startTagEnd;
    for (const c of el.children) {
      assert.ok(c.start >= prevEnd, `children of <${el.name}> in order`);
      prevEnd = c.end;
      stack.push({ el: c, parent: el });
    }
    for (const a of el.attributes) {
      assert.equal(doc.text.substring(a.nameSpan.start, a.nameSpan.end), a.name);
      // the value is what libxml2 hands libvirt: references replaced, literal tab/CR/LF as spaces
      if (a.valueSpan)
        assert.equal(decodeXmlText(doc.text.substring(a.valueSpan.start, a.valueSpan.end).replace(/\r\n|[\t\n\r]/g, ' ')), a.value);
      else assert.equal(a.value, null);
    }
  }
  const offsets = new Set<number>();
  for (const p of doc.problems) {
    assert.equal(p.code, 'xml-syntax');
    assert.ok(p.span.start >= 0 && p.span.start <= p.span.end && p.span.end <= len, 'problem span inside the text');
    assert.ok(!offsets.has(p.span.start), `one problem per offset (${p.span.start})`);
    offsets.add(p.span.start);
  }
  return count;
}

export function names(els: XmlElement[]): string[] {
  return els.map((e) => e.name);
}

export function only<T>(list: T[]): T {
  assert.equal(list.length, 1, `expected exactly one, got ${list.length}`);
  return list[0];
}
