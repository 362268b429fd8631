// The status bar text and tooltip (client/src/statusText.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InventoryStatus } from '../../../shared/protocol';
import { describeStatus, oneRow } from '../../../client/src/statusText';

const ok: InventoryStatus = {
  state: 'ok',
  host: 'kvm1',
  source: 'host',
  takenAt: '2026-11-25T12:00:00Z',
  freeVfs: 5,
  totalVfs: 14,
  error: null,
};

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

test('status ok with readiness: the lines in the tooltip; no IOMMU marks the item as an error', () => {
  const fine = describeStatus(
    {
      ...ok,
      readiness: ['IOMMU on (dmar0), 34 groups', "PF 0000:0b:00.0 ('enp11s0f0'): 7 VFs created at runtime only, gone after a host reboot"],
    },
    true,
  );
  assert.equal(fine.text, '$(server) kvm1 5/14 VFs free');
  assert.match(
    fine.tooltip,
    /Host readiness:\n- IOMMU on \(dmar0\), 34 groups\n- PF 0000:0b:00\.0 \('enp11s0f0'\): 7 VFs created at runtime only/,
  );
  const blocked = describeStatus({ ...ok, readiness: ['No IOMMU: no device can be assigned (…)'] }, true);
  assert.equal(blocked.text, '$(server) kvm1 5/14 VFs free $(error)');
});

test('Restricted Mode says "restricted" (never "unreachable") and marks the view for the manage-trust action', () => {
  const blocked = describeStatus(
    {
      state: 'restricted',
      host: 'lab',
      source: 'host',
      takenAt: null,
      freeVfs: 0,
      totalVfs: 0,
      error: 'hosts from an untrusted workspace are not contacted',
    },
    true,
  );
  assert.equal(blocked.text, '$(shield) lab restricted');
  assert.equal(blocked.restricted, true);
  assert.doesNotMatch(blocked.text + blocked.tooltip, /unreachable/);
  const hidden = describeStatus(null, true, true);
  assert.equal(hidden.text, '$(shield) libvirt: restricted');
  assert.equal(hidden.restricted, true);
  assert.equal(describeStatus(null, true).restricted, undefined);
});

test('the tooltip says how old the inventory is in words, like the hover ("taken 14 s ago"), not a raw ISO time', () => {
  const view = describeStatus(ok, true, false, new Date('2026-11-25T12:00:14Z'));
  assert.match(view.tooltip, /inventory taken 14 s ago/);
  assert.doesNotMatch(view.tooltip, /2026-11-25T/);
});

test('a host or snapshot name holding $(icon) syntax is shown as written in the item, never as an icon', () => {
  const s: InventoryStatus = {
    state: 'ok',
    host: 'kvm1 $(alert) $(sync~spin)',
    source: 'file',
    takenAt: null,
    freeVfs: 1,
    totalVfs: 2,
    error: null,
  };
  const view = describeStatus(s, true);
  assert.equal(view.text, '$(server) kvm1 \\$(alert) \\$(sync~spin) 1/2 VFs free');
  for (const state of ['loading', 'stale', 'unreachable', 'restricted'] as const) {
    assert.doesNotMatch(describeStatus({ ...s, state }, true).text, /[^\\]\$\(alert\)/, state);
  }
});

test("host text in the tooltip shows as written: no icon and no link, which VS Code's language status detail would run", () => {
  const link = '[Fix](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%5Cn%22%7D)';
  const view = describeStatus(
    {
      ...ok,
      host: '$(alert)lab',
      readiness: [`guests name network '${link}', which the host lacks`],
      warnings: ['virsh: $(sync~spin) [doc](https://example.com)'],
    },
    true,
  );
  assert.doesNotMatch(view.tooltip, /\]\((command|https?):/);
  assert.doesNotMatch(view.tooltip, /(^|[^\\])\$\(/);
  // inert, not removed: the text still reads as the host wrote it
  assert.match(view.tooltip, /\[Fix\]\u200b\(command:workbench/);
  assert.match(view.tooltip, /\\\$\(alert\)lab/);
  const unreachable = describeStatus({ ...ok, state: 'unreachable', error: `virsh: error: ${link}` }, true);
  assert.doesNotMatch(unreachable.tooltip, /\]\(command:/);
});

test("oneRow: the language status popup's detail is the tooltip's first line, cut, with how many notes follow", () => {
  assert.equal(
    oneRow("'kvm1' (host): 12/14 VFs free, inventory taken 5 min ago"),
    "'kvm1' (host): 12/14 VFs free, inventory taken 5 min ago",
  );
  const withNotes = oneRow(
    "'kvm1' (host): 12/14 VFs free, inventory taken 5 min ago\nHost readiness:\n- IOMMU on\n- PF 0000:0b:00.0: 7 VFs created at runtime only",
  );
  assert.equal(withNotes, "'kvm1' (host): 12/14 VFs free, inventory taken 5 min ago (2 notes: Check Host Readiness)");
  const long = oneRow(`'kvm1' is unreachable: ${'x'.repeat(300)}`);
  assert.equal(long.length, 90);
  assert.ok(long.endsWith('…'));
});
