// The service keeps its answers inside the document whatever offset a caller passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { complete, hover } from '../../../server/src/service/index';
import { context82576, hostdevInterface } from './helpers';

test('complete() past the end, negative or NaN: every span inside the document', () => {
  const text = hostdevInterface('<');
  const truncated = text.slice(0, text.indexOf('<', text.indexOf('<source>') + 1) + 1);
  for (const offset of [truncated.length + 5, truncated.length + 1000, -3, Number.NaN, 1e300]) {
    for (const c of complete(truncated, offset, context82576())) {
      assert.ok(c.span.start >= 0 && c.span.start <= c.span.end && c.span.end <= truncated.length, `${offset}: ${JSON.stringify(c.span)}`);
    }
  }
  assert.ok(complete(truncated, truncated.length + 5, context82576()).length > 0, 'past the end completes as at the end');
});

test('hover() past the end answers as at the end, never throws', () => {
  const text = hostdevInterface("<address type='pci' domain='0' bus='0x0b' slot='0x10' function='0'/>");
  for (const offset of [text.length + 10, -1, Number.NaN]) assert.doesNotThrow(() => hover(text, offset, context82576()));
});
