// The status bar text and tooltip (client/src/statusText.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InventoryStatus } from '../../../shared/protocol';
import { describeStatus } from '../../../client/src/statusText';

const ok: InventoryStatus = { state: 'ok', host: 'kvm1', source: 'host', takenAt: '2026-11-25T12:00:00Z', freeVfs: 5, totalVfs: 14, error: null };

test('status ok: host and free/total VFs, no warning mark', () => {
  const view = describeStatus(ok, true);
  assert.equal(view.text, '$(server) kvm1 5/14 VFs free');
  assert.doesNotMatch(view.tooltip, /Partial/);
});

test('status ok with warnings: a warning mark and every warning in the tooltip', () => {
  const view = describeStatus({ ...ok, warnings: ['virsh: not found', 'ip: not found'] }, true);
  assert.equal(view.text, '$(server) kvm1 5/14 VFs free $(warning)');
  assert.match(view.tooltip, /Partial inventory:\n- virsh: not found\n- ip: not found/);
});
