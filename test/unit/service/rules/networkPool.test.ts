// <interface type='network'> against the host's networks and hostdev pools (rules/networkPool.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from '../../../../server/src/service/validate';
import { inventory82576, withNetworks } from './helpers';

const domain = (...sources: string[]) =>
  `<domain type='kvm'><name>web09</name><devices>\n${sources.map((s) => `<interface type='network'><source ${s}/></interface>`).join('\n')}\n</devices></domain>`;

function found(text: string, inventory = withNetworks()) {
  return validate(text, { inventory })
    .filter((p) => p.code.startsWith('network-'))
    .map((p) => `${p.severity} ${p.code} ${text.slice(p.span.start, p.span.end)}`);
}

test("an unknown network is an error naming the host's networks; libvirt's start-time message quoted", () => {
  const text = domain("network='nosuch'");
  assert.deepEqual(found(text), ['error network-unknown nosuch']);
  const [p] = validate(text, { inventory: withNetworks() }).filter((x) => x.code === 'network-unknown');
  assert.match(
    p.message,
    /^No libvirt network 'nosuch' on host kvm1 — the guest fails to start; libvirt: "Network not found: no network with matching name 'nosuch'"\. Its networks: default, idle-pool, sriov-pool\./,
  );
});

test('an inactive network is an error; an active one that does not autostart a warning; an autostarting one nothing', () => {
  assert.deepEqual(found(domain("network='idle-pool'")), ['error network-inactive idle-pool']);
  assert.deepEqual(found(domain("network='default'")), ['warning network-inactive default']);
  assert.deepEqual(found(domain("network='sriov-pool' portgroup='blue'")), []);
});

test('pool capacity: one free VF (web01 holds 0b:10.0 live) serves one interface; a second is an error', () => {
  assert.deepEqual(found(domain("network='sriov-pool'", "network='sriov-pool'")), ['error network-pool-exhausted sriov-pool']);
  const full = withNetworks();
  full.networks[0].addresses = ['0000:0b:10.0'];
  const [p] = validate(domain("network='sriov-pool'"), { inventory: full }).filter((x) => x.code === 'network-pool-exhausted');
  assert.equal(p.severity, 'error');
  assert.match(
    p.message,
    /^No free VF left in pool 'sriov-pool': running guests hold all 1 — .*requires exclusive access to interfaces, but none are available/,
  );
  // db01 (shut off) has the pool's other VF in its config: a warning, it may start first
  const claimed = withNetworks();
  claimed.networks[0].addresses = ['0000:0b:10.0', '0000:0b:10.2'];
  assert.deepEqual(found(domain("network='sriov-pool'"), claimed), ['warning network-pool-exhausted sriov-pool']);
});

test("an unknown portgroup is a warning listing the network's portgroups", () => {
  assert.deepEqual(found(domain("network='sriov-pool' portgroup='red'")), ['warning network-portgroup red']);
});

test('old snapshots that list only hostdev pools get no network rules', () => {
  const old = inventory82576();
  assert.deepEqual(found(domain("network='default'"), old), []);
});
