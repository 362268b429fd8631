// The attach flow's words (client/src/attachText.ts).
import test from 'node:test';
import assert from 'node:assert/strict';
import { changeHost, codeText, errorsQuestion, guestPickItems } from '../../../client/src/attachText';
import { isNotShownMessage, notShownMessage } from '../../../shared/diagnostics';

test('errorsQuestion: past the diagnostics budget, the line saying so stands for errors the editor was not sent', () => {
  const note = notShownMessage(279000, 1000, 280000);
  assert.ok(isNotShownMessage(note));
  assert.equal(isNotShownMessage(notShownMessage(1, 1000, 1001)), true);
  assert.equal(isNotShownMessage('MAC 01:00:5e:00:00:01 is multicast'), false);
  const q = errorsQuestion('Attach', [{ line: 1, message: note }]);
  assert.equal(q.message, 'This device may have errors the editor was not sent. Attach it anyway?');
  assert.equal(q.detail, note);
});

test('errorsQuestion: the title asks once, the body lists the errors without repeating the title', () => {
  const q = errorsQuestion('Attach', [
    { line: 4, message: 'MAC 01:00:5e:00:00:01 is multicast — …' },
    { line: 9, message: 'VLAN and <virtualport> together — …' },
  ]);
  assert.equal(q.message, 'This device has 2 errors. Attach it anyway?');
  assert.equal(q.detail, 'Line 4: MAC 01:00:5e:00:00:01 is multicast — …\nLine 9: VLAN and <virtualport> together — …');
  assert.ok(!q.detail.includes(q.message));
  assert.equal(errorsQuestion('Attach', [{ line: 1, message: 'x' }]).message, 'This device has 1 error. Attach it anyway?');
  // what the host says of the device in the guest picked has no line of the document
  const inGuest = errorsQuestion('Attach', [
    { line: 3, message: 'a' },
    { message: "'web01' already has …", severity: 'error' },
    { message: "also in 'db01'", severity: 'warning' },
  ]);
  assert.equal(inGuest.message, 'This device has 2 errors and 1 warning. Attach it anyway?');
  assert.equal(inGuest.detail, "Line 3: a\n'web01' already has …\nalso in 'db01'");
  assert.equal(errorsQuestion('Attach', [{ message: 'w', severity: 'warning' }]).message, 'This device has 1 warning. Attach it anyway?');
});

test('codeText: the code of a diagnostic with a rule link ({ value, target }) is its value, never [object Object]', () => {
  assert.equal(codeText({ value: 'mac-multicast' }), 'mac-multicast');
  assert.equal(codeText('pci-octal'), 'pci-octal');
  assert.equal(codeText(7), '7');
  assert.equal(codeText(undefined), '');
});

test("guestPickItems: the document's guest first, then by name; a name VS Code would show as an icon is shown as written", () => {
  const guest = (name: string, devices: number, state = 'shut off') => ({
    name,
    state,
    persistent: true,
    macs: [],
    devices: Array.from({ length: devices }, (_, i) => ({
      address: `0000:0b:10.${i}`,
      element: 'interface' as const,
      config: true,
      live: false,
      mac: null,
    })),
  });
  const items = guestPickItems([guest('web01', 1, 'running'), guest('$(alert) db01', 2), guest('app01', 0)], 'web01');
  assert.deepEqual(
    items.map((i) => [i.guest, i.label, i.description, i.detail]),
    [
      ['web01', 'web01', 'running', '1 hostdev device · this document'],
      ['$(alert) db01', '\\$(alert) db01', 'shut off', '2 hostdev devices'],
      ['app01', 'app01', 'shut off', '0 hostdev devices'],
    ],
  );
});

test("changeHost: the host whose inventory listed the guests, not another active host; a snapshot file's guests: the active host", () => {
  // a folder whose own activeHost the view shows, in a window whose activeHost is another
  assert.equal(changeHost({ source: 'host', host: 'kvm2' }, 'kvm1'), 'kvm2');
  assert.equal(changeHost({ source: 'file', host: 'kvm9 (snapshot)' }, 'kvm1'), 'kvm1');
  assert.equal(changeHost({ source: 'file', host: 'kvm9' }, null), null);
  assert.equal(changeHost({ source: null, host: null }, null), null);
});
