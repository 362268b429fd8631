import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StringTable } from '../../../../server/src/service/xml/strings';
import { parseXml } from '../../../../server/src/service/xml/parser';
import { walk } from '../../../../server/src/service/xml/query';
import type { XmlElement } from '../../../../server/src/service/xml/types';

/** Every cut [i, j) of `text` up to `maxLength` long. */
function* cuts(text: string, maxLength: number): Generator<[number, number]> {
  for (let i = 0; i < text.length; i++) {
    for (let j = i; j <= Math.min(text.length, i + maxLength); j++) yield [i, j];
  }
}

test('shared strings: substring() and name() equal substring for every cut, also when table slots collide', () => {
  // many strings of one length with the same first, middle and last characters land in one slot
  const colliding = Array.from({ length: 40 }, (_, i) => `a${String.fromCharCode(0x61 + (i % 26))}b${i % 7}xa`).join(' ');
  const text = `${colliding} <interface type='hostdev'> 0x0000 0x03 ü€ trustGuestRxFilters ${'n'.repeat(70)}`;
  const strings = new StringTable();
  // five rounds: names are internalized from their fourth sighting on
  for (let round = 0; round < 5; round++) {
    for (const [i, j] of cuts(text, 80)) {
      assert.equal(strings.substring(text, i, j), text.substring(i, j));
      assert.equal(strings.name(text, i, j), text.substring(i, j));
    }
  }
});

test('parser: elements without children, attributes or text share frozen empty lists', () => {
  const doc = parseXml(`<devices><hostdev/><interface type='hostdev'><mac address='x'/></interface></devices>`);
  const all: XmlElement[] = [];
  walk(doc, (el) => {
    all.push(el);
  });
  const [devices, hostdev, iface, mac] = all;
  assert.deepEqual(
    all.map((e) => e.name),
    ['devices', 'hostdev', 'interface', 'mac'],
  );
  assert.equal(hostdev.children, mac.children);
  assert.equal(hostdev.attributes, devices.attributes);
  assert.equal(hostdev.textSpans, iface.textSpans);
  assert.ok(Object.isFrozen(hostdev.children) && Object.isFrozen(hostdev.attributes) && Object.isFrozen(hostdev.textSpans));
  assert.throws(() => hostdev.children.push(mac), TypeError);
  assert.deepEqual(
    devices.children.map((e) => e.name),
    ['hostdev', 'interface'],
  );
  assert.ok(!Object.isFrozen(devices.children));
});
