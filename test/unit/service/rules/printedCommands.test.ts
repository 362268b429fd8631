// The virsh commands a rule prints for the user to run must run as printed in a POSIX shell, whatever
// the libvirt name holds. libvirt accepts network names with spaces, quotes, `$` and a leading '-'
// (seen with `virsh net-define` on qemu:///session; it refuses only '/' and newlines), so each
// printed fix goes through a real `sh -c` with `virsh` as a shell function that reports its argv.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { validate } from '../../../../server/src/service/validate';
import { readinessChecks } from '../../../../server/src/service/readinessChecks';
import type { InventoryNetwork } from '../../../../server/src/service/types';
import { withNetworks } from './helpers';

const HOSTILE = [
  "lhd pool's",
  'pool $HOME',
  'pool "x"',
  '$(touch lhd-pwned)',
  '`id`',
  'a;b&c|d',
  'tab\tpool',
  '*',
  '~root',
  '--pool',
  '-p',
  'pool.',
  'ünïcødé名',
];

/** Each `virsh` call the shell makes for `commandLine`, as its argv. */
function virshCalls(commandLine: string): string[][] {
  const out = execFileSync('/bin/sh', ['-c', `virsh() { printf 'virsh\\0'; printf '%s\\0' "$@"; }\n${commandLine}`], {
    encoding: 'utf8',
    cwd: '/',
  });
  const calls: string[][] = [];
  for (const word of out.split('\0').slice(0, -1)) {
    if (word === 'virsh') calls.push([]);
    else calls[calls.length - 1].push(word);
  }
  return calls;
}

/** What virsh needs to take `name` as the network (a '--x' would be an option). */
const networkArgs = (verb: string, name: string) => [verb, ...(name.startsWith('-') ? ['--network'] : []), name];

/** The network-inactive message a guest on `network` gets. */
function inactiveMessage(network: Partial<InventoryNetwork> & { name: string }): string {
  const inventory = withNetworks();
  inventory.networks.push({ active: false, autostart: false, forwardMode: 'hostdev', addresses: [], ...network });
  const doc = `<domain type='kvm'><name>web09</name><devices><interface type='network'><source network='${network.name
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')}'/></interface></devices></domain>`;
  const found = validate(doc, { inventory }).filter((p) => p.code === 'network-inactive');
  assert.equal(found.length, 1, JSON.stringify(found));
  return found[0].message;
}

/** The command after `lead` up to the sentence's closing period. */
function commandAfter(message: string, lead: string): string {
  const at = message.lastIndexOf(lead);
  assert.ok(at >= 0 && message.endsWith('.'), message);
  return message.slice(at + lead.length, -1);
}

test('network-inactive: an ordinary name prints bare, as before', () => {
  assert.match(
    inactiveMessage({ name: 'lhd-pool' }),
    /Start it and keep it started: virsh net-start lhd-pool; virsh net-autostart lhd-pool\.$/,
  );
  assert.match(inactiveMessage({ name: 'lhd-pool', autostart: true }), /start it now: virsh net-start lhd-pool\.$/);
  assert.match(inactiveMessage({ name: 'lhd-pool', active: true }), /Mark it: virsh net-autostart lhd-pool\.$/);
});

test('network-inactive: each printed fix, run by sh as printed, gives virsh the network name as one argument', () => {
  for (const name of HOSTILE) {
    const both = commandAfter(inactiveMessage({ name }), 'Start it and keep it started: ');
    assert.deepEqual(virshCalls(both), [networkArgs('net-start', name), networkArgs('net-autostart', name)], both);
    const start = commandAfter(inactiveMessage({ name, autostart: true }), 'start it now: ');
    assert.deepEqual(virshCalls(start), [networkArgs('net-start', name)], start);
    const mark = commandAfter(inactiveMessage({ name, active: true }), 'Mark it: ');
    assert.deepEqual(virshCalls(mark), [networkArgs('net-autostart', name)], mark);
  }
});

test('readiness step 7 prints the same quoted fix for a pool with a hostile name', () => {
  const name = "lhd pool's $HOME";
  const inventory = withNetworks();
  inventory.networks.push({ name, active: true, autostart: false, forwardMode: 'hostdev', addresses: [] });
  const pools = readinessChecks(inventory).find((c) => c.id === 'vf-pools')!;
  const line = pools.details.find((d) => d.startsWith('WARN: ') && d.includes('does not autostart'));
  assert.ok(line, pools.details.join('\n'));
  assert.deepEqual(virshCalls(commandAfter(line, 'Mark it: ')), [['net-autostart', name]]);
});
