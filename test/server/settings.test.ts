// Settings normalisation (lsp/settings.ts) and the span/range conversions (lsp/convert.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS, SETTING_RANGES } from '../../shared/settings';
import { sectionFromChange, unknownSettingsWarning } from '../../server/src/lsp/settings';
import { missingHostReason, normalizeSettings } from '../../shared/settingsReading';
import { rangeToSpan, spanToRange, toDiagnostic, toProblem } from '../../server/src/lsp/convert';

test('normalizeSettings turns anything into a complete ServerSettings', () => {
  assert.deepEqual(normalizeSettings(undefined), DEFAULT_SETTINGS);
  assert.deepEqual(normalizeSettings(null), DEFAULT_SETTINGS);
  assert.deepEqual(normalizeSettings('nonsense'), DEFAULT_SETTINGS);
  assert.deepEqual(
    normalizeSettings({
      inventoryFile: '  /srv/kvm1.json ',
      hosts: [{ name: 'kvm1', target: 'root@kvm1:2222', connect: 'qemu:///system', extra: 1 }, { name: 'no-target' }, 'x'],
      activeHost: 'kvm1',
      refreshIntervalSeconds: -5,
      connectTimeoutSeconds: 0,
      commandTimeoutSeconds: 60,
      files: ['**/libvirt/*.xml', 3, ''],
    }),
    {
      inventoryFile: '/srv/kvm1.json',
      hosts: [{ name: 'kvm1', target: 'root@kvm1:2222', connect: 'qemu:///system' }],
      unusableHosts: [{ name: 'no-target', problem: 'has no target (local, [user@]host[:port] or an ~/.ssh/config alias)' }],
      activeHost: 'kvm1',
      refreshIntervalSeconds: 0,
      connectTimeoutSeconds: 1,
      commandTimeoutSeconds: 60,
      files: ['**/libvirt/*.xml'],
    },
  );
  assert.equal(normalizeSettings({ inventoryFile: '' }).inventoryFile, null);
});

test('number settings stay in range: a huge timeout or interval is not a 1 ms timer, a tiny interval no refresh storm', () => {
  const huge = normalizeSettings({ refreshIntervalSeconds: 1e10, connectTimeoutSeconds: 1e10, commandTimeoutSeconds: 3e6 });
  assert.deepEqual(
    [huge.refreshIntervalSeconds, huge.connectTimeoutSeconds, huge.commandTimeoutSeconds],
    [SETTING_RANGES.refreshIntervalSeconds.max, SETTING_RANGES.connectTimeoutSeconds.max, SETTING_RANGES.commandTimeoutSeconds.max],
  );
  // every timer the settings make fits Node's 2^31-1 ms
  for (const value of [huge.refreshIntervalSeconds, huge.connectTimeoutSeconds, huge.commandTimeoutSeconds]) {
    assert.ok(value * 1000 <= 2 ** 31 - 1);
  }
  assert.equal(normalizeSettings({ refreshIntervalSeconds: 0.001 }).refreshIntervalSeconds, SETTING_RANGES.refreshIntervalSeconds.min);
  assert.equal(normalizeSettings({ refreshIntervalSeconds: 0 }).refreshIntervalSeconds, 0);
  assert.equal(normalizeSettings({ refreshIntervalSeconds: 60 }).refreshIntervalSeconds, 60);
});

test('a value that cannot be used as written is noted with what is used instead; timeouts are clamped to their range', () => {
  const notes: string[] = [];
  const settings = normalizeSettings(
    {
      inventoryFile: 42,
      hosts: 'kvm1',
      activeHost: ['kvm1'],
      files: 'a.xml',
      refreshIntervalSeconds: '60',
      connectTimeoutSeconds: -5,
      commandTimeoutSeconds: 1e12,
    },
    notes,
  );
  assert.deepEqual([settings.inventoryFile, settings.hosts, settings.activeHost, settings.files], [null, [], null, []]);
  assert.deepEqual(
    [settings.refreshIntervalSeconds, settings.connectTimeoutSeconds, settings.commandTimeoutSeconds],
    [0, SETTING_RANGES.connectTimeoutSeconds.min, SETTING_RANGES.commandTimeoutSeconds.max],
  );
  assert.deepEqual(notes, [
    'libvirtHostdev.inventoryFile: 42 is not a string: ignored',
    'libvirtHostdev.hosts: "kvm1" is not a list of hosts ([{ "name", "target" }]): ignored',
    'libvirtHostdev.activeHost: ["kvm1"] is not a string: ignored',
    'libvirtHostdev.refreshIntervalSeconds: "60" is not a number: the default 0 is used',
    'libvirtHostdev.connectTimeoutSeconds: -5 is below the minimum 1: 1 is used',
    'libvirtHostdev.commandTimeoutSeconds: 1000000000000 is above the maximum 3600: 3600 is used',
    'libvirtHostdev.files: "a.xml" is not a list of globs (["**/templates/*.xml"]): ignored',
  ]);
  const hostNotes: string[] = [];
  const hosts = normalizeSettings(
    { hosts: [{ name: 'kvm1' }, 'x', { target: 'a@b' }, { name: 'lab', target: 'lab', connect: 5, transport: 'ssh' }], files: ['ok', 3] },
    hostNotes,
  );
  assert.deepEqual(hosts.hosts, [{ name: 'lab', target: 'lab' }]);
  assert.deepEqual(hostNotes, [
    "libvirtHostdev.hosts[0] ('kvm1') has no target (local, [user@]host[:port] or an ~/.ssh/config alias): left out",
    'libvirtHostdev.hosts[1] is "x", not a host ({ "name", "target", … }): left out',
    'libvirtHostdev.hosts[2] has no name: left out',
    "libvirtHostdev.hosts[3] ('lab').connect: 5 is not a string: ignored",
    'libvirtHostdev.hosts[3] (\'lab\').transport: "ssh" is not "builtin" or "openssh": the built-in client is used',
    'libvirtHostdev.files[1]: 3 is not a glob: left out',
  ]);
  assert.equal(
    missingHostReason(normalizeSettings({ hosts: [{ name: 'kvm1' }] }), 'kvm1'),
    "'kvm1' is in libvirtHostdev.hosts but has no target (local, [user@]host[:port] or an ~/.ssh/config alias)",
  );
  assert.equal(missingHostReason(normalizeSettings({}), 'kvm1'), "'kvm1' is not in libvirtHostdev.hosts");
  const quiet: string[] = [];
  normalizeSettings({ inventoryFile: null, hosts: null, refreshIntervalSeconds: 0, connectTimeoutSeconds: 10, files: [] }, quiet);
  assert.deepEqual(quiet, []);
});

test("a host entry's unknown keys (a typo such as identity_file) are named with the keys a host has, before the entry's other notes", () => {
  const notes: string[] = [];
  const settings = normalizeSettings(
    {
      hosts: [
        { name: 'kvm1', target: 'root@kvm1', identity_file: '~/.ssh/lab', sysfs_root: '/srv/sys' },
        { Name: 'lab', target: 'lab' },
      ],
    },
    notes,
  );
  assert.deepEqual(settings.hosts, [{ name: 'kvm1', target: 'root@kvm1' }]);
  const known = 'a host has name, target, connect, identityFile, sysfsRoot, hostRoot, transport';
  assert.deepEqual(notes, [
    `libvirtHostdev.hosts[0] ('kvm1'): unknown keys identity_file, sysfs_root (ignored; ${known})`,
    `libvirtHostdev.hosts[1]: unknown key Name (ignored; ${known})`,
    'libvirtHostdev.hosts[1] has no name: left out',
  ]);
});

test('a value nested deeper than JSON.stringify goes is noted by kind: the settings are still read', () => {
  let deep: unknown = [];
  for (let i = 0; i < 200_000; i++) deep = [deep];
  const notes: string[] = [];
  const settings = normalizeSettings({ inventoryFile: deep, activeHost: { deep }, commandTimeoutSeconds: 60 }, notes);
  assert.equal(settings.commandTimeoutSeconds, 60);
  assert.deepEqual(notes, [
    'libvirtHostdev.inventoryFile: (a list) is not a string: ignored',
    'libvirtHostdev.activeHost: (an object) is not a string: ignored',
  ]);
});

test('didChangeConfiguration settings: the section itself or wrapped in libvirtHostdev', () => {
  assert.deepEqual(sectionFromChange({ libvirtHostdev: { activeHost: 'a' } }), { activeHost: 'a' });
  assert.deepEqual(sectionFromChange({ activeHost: 'a' }), { activeHost: 'a' });
  // a section of the wrong type is that section, not unknown keys of the whole
  assert.equal(sectionFromChange({ libvirtHostdev: 'oops' }), 'oops');
  assert.equal(
    unknownSettingsWarning('workspace/didChangeConfiguration', 'oops'),
    'workspace/didChangeConfiguration: "oops" is not an object of settings ({ "hosts", "activeHost", … }): ignored',
  );
});

test('an unknown setting is named with the setting it most likely meant, when one is near', () => {
  assert.equal(
    unknownSettingsWarning('workspace/configuration', { inventory_file: 'x', frobnicate: 1 }),
    "workspace/configuration: unknown settings libvirtHostdev.inventory_file (did you mean 'libvirtHostdev.inventoryFile'?), libvirtHostdev.frobnicate (ignored)",
  );
});

test('spans and ranges convert through UTF-16 positions, CRLF and astral characters included', () => {
  const text = 'a😀b\r\n<mac/>';
  const doc = TextDocument.create('file:///x', 'xml', 1, text);
  const span = { start: text.indexOf('<mac'), end: text.length };
  const range = spanToRange(doc, span);
  assert.deepEqual(range, { start: { line: 1, character: 0 }, end: { line: 1, character: 6 } });
  assert.deepEqual(rangeToSpan(doc, range), span);
  assert.deepEqual(spanToRange(doc, { start: 3, end: 4 }), { start: { line: 0, character: 3 }, end: { line: 0, character: 4 } });
});

test('a diagnostic comes back from the client as the same problem; foreign ones are ignored', () => {
  const doc = TextDocument.create('file:///x', 'xml', 1, "<mac address='01:00:5e:00:00:01'/>");
  const problem = { code: 'mac-multicast' as const, severity: 'error' as const, message: 'multicast', span: { start: 14, end: 31 } };
  const diagnostic = toDiagnostic(doc, problem);
  assert.equal(diagnostic.source, 'libvirt-hostdev');
  assert.equal(diagnostic.severity, 1);
  assert.deepEqual(toProblem(doc, diagnostic), problem);
  assert.equal(toProblem(doc, { ...diagnostic, source: 'xml' }), null);
});
