// Names and messages from a host or a workspace file shown in a VS Code notification never become a
// link there (VS Code links `[label](https://…)`, `(command:…)` and `(file:…)` in a notification's text).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inertLinks } from '../../../shared/inertLinks';

/** what VS Code's notifications link, as its documentation describes them: [label](target) with one of these schemes */
const linked = (text: string): boolean => /\[[^\]]+\]\((?:https?:\/\/|command:|file:)[^)\s]+\)/i.test(text);

test('a command, https or file link in host data or a config is shown as text: only a zero-width space is added', () => {
  for (const hostile of [
    "guest '[Open a terminal](command:workbench.action.terminal.new)'",
    'libvirt: error: [see](https://example.invalid/x) (code 1)',
    '/repo/[click](file:///etc/passwd)/.libvirt-hostdev.json: expected a JSON object',
    'unknown diagnostic code "[Fix it](COMMAND:libvirtHostdev.attach)"',
    'two: [a](command:a) and [b](http://b)',
  ]) {
    assert.ok(linked(hostile), `the probe is a link: ${hostile}`);
    const inert = inertLinks(hostile);
    assert.ok(!linked(inert), inert);
    assert.equal(inert.replace(/\u200b/g, ''), hostile, 'nothing else changes');
  }
});

test('text without a link is returned as it is, brackets and parentheses included', () => {
  for (const plain of ["guest 'web01' [running] (VF 0000:0b:10.2)", 'array[0](1)', "bus='0x0b'", ''])
    assert.equal(inertLinks(plain), plain);
});
