// uuid-taken: a guest or network definition that define would refuse because the host has an object of
// its name with another UUID (or its UUID under another name). The messages are the ones virsh define and
// net-define gave on qemu:///session (test/integration/cli/defineCommand.test.ts sees the domain one).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from '../../../../server/src/service/validate';
import type { Inventory } from '../../../../server/src/service/types';
import { fixesFor, codesOf } from '../quickFixHelpers';
import { countedPoolGuest, inventory82576, withNetworks } from './helpers';

const WEB_UUID = '5c2b0e43-9d1f-4c41-8a0e-2f3e4d5c6b7a';
const POOL_UUID = '0f1e2d3c-4b5a-4968-8776-655443322110';

function host(): Inventory {
  const inv = withNetworks();
  inv.guests = [{ ...countedPoolGuest('web01', 'shut off', {}), uuid: WEB_UUID }, countedPoolGuest('old01', 'shut off', {})];
  inv.networks = inv.networks.map((n) => (n.name === 'sriov-pool' ? { ...n, uuid: POOL_UUID } : n));
  return inv;
}

const domain = (uuid: string) => `<domain type='kvm'>\n  <name>web01</name>\n${uuid}  <memory>1048576</memory>\n</domain>\n`;
const uuidTaken = (text: string, inventory: Inventory = host()) => validate(text, { inventory }).filter((p) => p.code === 'uuid-taken');

describe('uuid-taken', () => {
  it("a domain named as a host guest without a <uuid>: define fails with libvirt's words, on the name", () => {
    const text = domain('');
    const [p, ...more] = uuidTaken(text);
    assert.equal(more.length, 0);
    assert.equal(p.severity, 'error');
    assert.equal(text.slice(p.span.start, p.span.end), 'web01');
    assert.equal(
      p.message,
      `No <uuid>, and the host has a guest 'web01' — define fails; libvirt: "operation failed: domain 'web01' already exists with uuid ${WEB_UUID}". ` +
        `Without that guest's UUID the document is a new guest of a name that is taken; to redefine it, give it <uuid>${WEB_UUID}</uuid>.`,
    );
  });

  it("the quick fix gives it the host's UUID after <name>, and the problem is gone", () => {
    const fix = fixesFor(domain(''), 'uuid-taken', { inventory: host() });
    assert.deepEqual(fix.titles, [`Give it the host's UUID (${WEB_UUID})`]);
    const fixed = fix.apply(0);
    assert.equal(fixed, domain(`  <uuid>${WEB_UUID}</uuid>\n`));
    assert.ok(!codesOf(fixed, { inventory: host() }).includes('uuid-taken'));
  });

  it('another UUID: reported on it, and the fix writes the host one in its place', () => {
    const text = domain('  <uuid>11111111-2222-4333-8444-555555555555</uuid>\n');
    const [p] = uuidTaken(text);
    assert.equal(text.slice(p.span.start, p.span.end), '11111111-2222-4333-8444-555555555555');
    assert.match(p.message, /^Another <uuid> than the host's guest 'web01' — define fails/);
    assert.equal(fixesFor(text, 'uuid-taken', { inventory: host() }).apply(0), domain(`  <uuid>${WEB_UUID}</uuid>\n`));
    // an empty <uuid> is none to libvirt (it makes one): the fix fills it instead of adding a second
    assert.equal(
      fixesFor(domain('  <uuid></uuid>\n'), 'uuid-taken', { inventory: host() }).apply(0),
      domain(`  <uuid>${WEB_UUID}</uuid>\n`),
    );
  });

  it("the host's UUID however written (no dashes, upper case) is the same UUID: nothing", () => {
    assert.deepEqual(uuidTaken(domain(`  <uuid>${WEB_UUID}</uuid>\n`)), []);
    assert.deepEqual(uuidTaken(domain(`  <uuid>${WEB_UUID.replace(/-/g, '').toUpperCase()}</uuid>\n`)), []);
  });

  it("a host guest's UUID under another name: 'is already defined', no fix to offer", () => {
    const text = domain(`  <uuid>${WEB_UUID}</uuid>\n`).replace('web01', 'web02');
    const [p] = uuidTaken(text);
    assert.match(
      p.message,
      new RegExp(
        `^The host's guest 'web01' has this UUID — define fails; libvirt: "operation failed: domain 'web01' is already defined with uuid ${WEB_UUID}"`,
      ),
    );
    assert.deepEqual(fixesFor(text, 'uuid-taken', { inventory: host() }).titles, []);
  });

  it('nothing for a new name, a host guest of a snapshot without UUIDs, a device snippet, or no inventory', () => {
    assert.deepEqual(uuidTaken(domain('').replace('web01', 'web02')), []);
    assert.deepEqual(uuidTaken(domain('').replace('web01', 'old01')), []);
    const older = inventory82576();
    assert.deepEqual(uuidTaken(domain(''), older), []);
    assert.ok(!codesOf(domain('')).includes('uuid-taken'));
    assert.deepEqual(uuidTaken("<interface type='hostdev'><mac address='52:54:00:00:00:01'/></interface>"), []);
  });

  it("a network: net-define's words, on the pool's name", () => {
    const text =
      "<network>\n  <name>sriov-pool</name>\n  <forward mode='hostdev' managed='yes'><pf dev='enp11s0f0'/></forward>\n</network>\n";
    const [p] = uuidTaken(text);
    assert.equal(text.slice(p.span.start, p.span.end), 'sriov-pool');
    assert.match(
      p.message,
      new RegExp(
        `^No <uuid>, and the host has a network 'sriov-pool' — net-define fails; libvirt: "operation failed: network 'sriov-pool' already exists with uuid ${POOL_UUID}"`,
      ),
    );
    assert.deepEqual(uuidTaken(text.replace('</name>', `</name>\n  <uuid>${POOL_UUID}</uuid>`)), []);
  });
});
