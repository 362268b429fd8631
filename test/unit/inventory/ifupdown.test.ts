// Debian's ifupdown as ifupdown 0.8.41 reads it (interfaces(5), checked with `ifquery -i FILE` and
// `ifquery -l [--allow=CLASS]`): the up commands of a stanza a boot brings up (auto, allow-auto,
// allow-hotplug) that write the PF's sriov_numvfs, in /etc/network/interfaces and the files it sources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findVfPersistence } from '../../../server/src/inventory/vfPersistence';
import { growth } from '../../support/growth';
import { x710Port0 } from '../../support/pfDevices';

const pf = x710Port0('ens1f0');
/** an ifupdown file's lines as the script sends them: "FILE:N:LINE", numbered from 1 */
const file = (name: string, lines: string[]) => lines.map((l, i) => `etc/network/${name}:${i + 1}:${l}`);
const read = (persistLines: string[]) => {
  const r = findVfPersistence(pf, { persistLines, cmdlineWords: [], enabledUnits: new Set() });
  const show = (list: { mechanism: string; file: string; detail: string; count?: number }[]) =>
    list.map((s) => `${s.mechanism} ${s.file}: ${s.detail} (${s.count})`);
  return { sources: show(r.sources), removals: show(r.removals), notAtBoot: show(r.notAtBoot) };
};
const IFACE_WRITE = 'pre-up echo 8 > /sys/class/net/$IFACE/device/sriov_numvfs';

test("an auto stanza's pre-up writing the PF's sriov_numvfs is a source, with $IFACE, ${IFACE}, the literal name or the PCI path", () => {
  for (const [command, count] of [
    [IFACE_WRITE, 8],
    ['up echo 4 > /sys/class/net/${IFACE}/device/sriov_numvfs', 4],
    ['post-up echo 2 | tee /sys/class/net/ens1f0/device/sriov_numvfs', 2],
    ['pre-up echo 6 > /sys/bus/pci/devices/0000:3b:00.0/sriov_numvfs', 6],
  ] as const)
    assert.deepEqual(read(file('interfaces', ['auto ens1f0', 'iface ens1f0 inet manual', `    ${command}`])).sources, [
      `ifupdown etc/network/interfaces: iface ens1f0 inet manual: ${command} (${count})`,
    ]);
});

test('allow-hotplug and allow-auto bring the stanza up at boot; another allow- class or none does not: reported apart', () => {
  const stanza = ['iface ens1f0 inet manual', `  ${IFACE_WRITE}`];
  const source = [`ifupdown etc/network/interfaces: iface ens1f0 inet manual: ${IFACE_WRITE} (8)`];
  assert.deepEqual(read(file('interfaces', ['allow-hotplug ens1f0', ...stanza])).sources, source);
  assert.deepEqual(read(file('interfaces', ['allow-auto lo ens1f0', ...stanza])).sources, source);
  assert.deepEqual(read(file('interfaces', ['allow-ovs ens1f0', ...stanza])), { sources: [], removals: [], notAtBoot: source });
  assert.deepEqual(read(file('interfaces', ['auto ens1f1', ...stanza])), { sources: [], removals: [], notAtBoot: source });
  // an auto line after the stanza counts the same
  assert.deepEqual(read(file('interfaces', [...stanza, 'auto ens1f0'])).sources, source);
});

test('auto patterns: /GLOB and mac/GLOB match the PF by name or MAC, =LOGICAL names the stanza', () => {
  const stanza = (name: string) => [`iface ${name} inet manual`, `  ${IFACE_WRITE}`];
  assert.equal(read(file('interfaces', ['auto /ens1f*', ...stanza('ens1f0')])).sources.length, 1);
  assert.equal(read(file('interfaces', ['auto /ens2f*', ...stanza('ens1f0')])).notAtBoot.length, 1);
  // the logical stanza "uplink" for the interface with that MAC: $IFACE is the physical interface
  assert.deepEqual(read(file('interfaces', ['auto mac/3c:fd:fe:00:3b:*=uplink', ...stanza('uplink')])).sources, [
    `ifupdown etc/network/interfaces: iface uplink inet manual: ${IFACE_WRITE} (8)`,
  ]);
  // ifupdown compares with sysfs's address as it is, in lower case: no interface comes up as "uplink"
  assert.deepEqual(read(file('interfaces', ['auto mac/3C:FD:FE:00:3B:00=uplink', ...stanza('uplink')])).sources, []);
});

test('a continued command line is joined; a comment ending in a backslash continues nothing; down commands are not read', () => {
  assert.deepEqual(
    read(
      file('interfaces', [
        'auto ens1f0',
        'iface ens1f0 inet manual',
        '    # pre-up echo 2 > /sys/class/net/$IFACE/device/sriov_numvfs \\',
        '    pre-up echo 8 \\',
        '      > /sys/class/net/$IFACE/device/sriov_numvfs',
        '    down echo 0 > /sys/class/net/$IFACE/device/sriov_numvfs',
      ]),
    ).sources,
    [`ifupdown etc/network/interfaces: iface ens1f0 inet manual: ${IFACE_WRITE} (8)`],
  );
});

test('a write of 0 is a removal; the options of another stanza (or of none) say nothing of this one', () => {
  const zero = 'pre-up echo 0 > /sys/class/net/$IFACE/device/sriov_numvfs';
  assert.deepEqual(read(file('interfaces', ['auto ens1f0', 'iface ens1f0 inet manual', `  ${zero}`])).removals, [
    `ifupdown etc/network/interfaces: iface ens1f0 inet manual: ${zero} (0)`,
  ]);
  // $IFACE is ens1f1 there
  assert.deepEqual(read(file('interfaces', ['auto ens1f0 ens1f1', 'iface ens1f1 inet manual', `  ${IFACE_WRITE}`])).sources, []);
  // a mapping stanza ends the iface stanza before it
  assert.deepEqual(read(file('interfaces', ['auto ens1f0', 'iface ens1f0 inet manual', 'mapping ens1f*', `  ${IFACE_WRITE}`])).sources, []);
});

test('only the files /etc/network/interfaces sources count: source globs, relative paths, source-directory names', () => {
  const stanza = ['auto ens1f0', 'iface ens1f0 inet manual', `  ${IFACE_WRITE}`];
  const dropIn = file('interfaces.d/sriov', stanza);
  const found = [`ifupdown etc/network/interfaces.d/sriov: iface ens1f0 inet manual: ${IFACE_WRITE} (8)`];
  assert.deepEqual(read([...file('interfaces', ['source /etc/network/interfaces.d/*']), ...dropIn]).sources, found);
  assert.deepEqual(read([...file('interfaces', ['source interfaces.d/*']), ...dropIn]).sources, found);
  assert.deepEqual(read([...file('interfaces', ['source-directory interfaces.d']), ...dropIn]).sources, found);
  // not sourced: ifupdown never reads it
  assert.deepEqual(read([...file('interfaces', ['auto lo']), ...dropIn]).sources, []);
  assert.deepEqual(read(dropIn).sources, []);
  // source-directory takes only names of [a-zA-Z0-9_-]; a glob skips hidden files
  assert.deepEqual(read([...file('interfaces', ['source-directory interfaces.d']), ...file('interfaces.d/sriov.cfg', stanza)]).sources, []);
  assert.deepEqual(read([...file('interfaces', ['source interfaces.d/*']), ...file('interfaces.d/.sriov', stanza)]).sources, []);
  // a file sourcing itself is read once
  assert.deepEqual(
    read([...file('interfaces', ['source interfaces', ...stanza])]).sources,
    found.map((f) => f.replace('interfaces.d/sriov', 'interfaces')),
  );
});

test('an auto line continued with a backslash names the interfaces of its next line too (every line is sent, numbered)', () => {
  const stanza = ['iface ens1f0 inet manual', `  ${IFACE_WRITE}`];
  assert.deepEqual(read(file('interfaces', ['auto lo \\', '  ens1f0', ...stanza])).sources, [
    `ifupdown etc/network/interfaces: iface ens1f0 inet manual: ${IFACE_WRITE} (8)`,
  ]);
});

test('a backslash before a CRLF line end continues nothing: the command ends there and writes no count', () => {
  const crlf = (lines: string[]) => file('interfaces', lines).map((l) => `${l}\r`);
  assert.deepEqual(
    read(crlf(['auto ens1f0', 'iface ens1f0 inet manual', '  pre-up echo 8 > \\', '    /sys/class/net/$IFACE/device/sriov_numvfs']))
      .sources,
    [],
  );
  // without a continuation the carriage return is only the line's end
  assert.deepEqual(read(crlf(['auto ens1f0', 'iface ens1f0 inet manual', `  ${IFACE_WRITE}`])).sources, [
    `ifupdown etc/network/interfaces: iface ens1f0 inet manual: ${IFACE_WRITE} (8)`,
  ]);
});

test('`source A B` reads both files, as ifquery does', () => {
  const lines = [
    ...file('interfaces', ['source interfaces.d/uplink interfaces.d/sriov']),
    ...file('interfaces.d/uplink', ['auto lo']),
    ...file('interfaces.d/sriov', ['auto ens1f0', 'iface ens1f0 inet manual', `  ${IFACE_WRITE}`]),
  ];
  assert.deepEqual(read(lines).sources, [`ifupdown etc/network/interfaces.d/sriov: iface ens1f0 inet manual: ${IFACE_WRITE} (8)`]);
});

test('an interfaces file of many stanzas and auto words costs in proportion to its length, not to stanzas times words', () => {
  const interfacesOf = (n: number) =>
    file('interfaces', [
      `auto ${Array.from({ length: n }, (_, i) => `eth${i}`).join(' ')}`,
      ...Array.from({ length: n }, (_, i) => [`iface eth${i} inet manual`, `  source interfaces.d/x${i}`]).flat(),
    ]);
  // 16 times the input: 16 to 30 for linear work, 256 for work that grows with its square (test/support/growth.ts)
  assert.ok(growth(interfacesOf, (lines) => read(lines), 250, 4000) < 80);
});
