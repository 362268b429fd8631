// The rows of Select Host (client/src/hostChoices.ts).
import test from 'node:test';
import assert from 'node:assert/strict';
import { hostChoices, type HostChoice } from '../../../client/src/hostChoices';

const lab = { name: 'lab', target: 'admin@kvm1', identityFile: '~/.ssh/id_lab', connect: 'qemu:///system' };
const shared = { name: 'shared', target: 'ops@kvm2' };
const rows = (c: HostChoice[]) => c.map((x) => [x.label, 'host' in x ? x.editable : x.action]);

test('the active remote host is checked; local is offered as the way back, then inventory file and Add host', () => {
  assert.deepEqual(rows(hostChoices([lab, shared], 'lab', new Set(['lab']), true)), [
    ['$(check) lab', true],
    ['shared', false],
    ['local', false],
    ['$(file) Use inventory file…', 'file'],
    ['$(add) Add host…', 'add'],
  ]);
});

test("the user's own hosts are editable and removable, workspace hosts say where they live", () => {
  const [own, workspace] = hostChoices([lab, shared], undefined, new Set(['lab']), false);
  assert.equal(own.detail, 'qemu:///system · key ~/.ssh/id_lab');
  assert.equal(workspace.detail, 'qemu:///system · workspace settings');
  assert.ok('host' in workspace && !workspace.editable);
});

test('local is checked when it is active; not offered without virsh here, nor twice when a host is named local', () => {
  assert.equal(hostChoices([lab], 'local', new Set(['lab']), true)[1].label, '$(check) local');
  assert.ok(!hostChoices([lab], 'lab', new Set(['lab']), false).some((c) => c.label.endsWith('local')));
  const named = hostChoices([{ name: 'local', target: 'local' }], 'local', new Set(['local']), true);
  assert.deepEqual(
    named.filter((c) => c.label.endsWith('local')).map((c) => c.label),
    ['$(check) local'],
  );
});

test('a host named or targeted with $(icon) syntax (from a workspace settings.json, say) is shown as written', () => {
  const odd = { name: '$(alert) lab', target: 'ops@$(zap)' };
  const [row] = hostChoices([odd], '$(alert) lab', new Set(), false);
  assert.deepEqual([row.label, row.description], ['$(check) \\$(alert) lab', 'ops@\\$(zap)']);
});
