// <interface type='network'> rules against REAL libvirt (qemu:///session of the test user): the
// inventory is read over the loopback sshd, the rule's quoted libvirt text must be what `virsh start`
// says for the same guest: an unknown network, an inactive hostdev pool, and an active pool with no
// VF to hand out (networkAllocatePort's "requires exclusive access to interfaces" text). What a VF
// cannot take (bandwidth, an isolated port, multiqueue, filterref, backend tap) define accepts on a
// pool's interface; this host has no VF to start one on, so that start-time text is libvirt 9.0's source
// (qemuDomainValidateActualNetDef), quoted in the unit tests.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fetchInventory } from '../../../server/src/inventory/fetchInventory';
import { validate } from '../../../server/src/service/index';
import { defineGuest, isolateHome, sshTransport, undefineGuest, vmVirsh } from '../inventory/support';

const GUEST = 'lhd-net-agree';
const POOL = 'lhd-net-pool';
const EMPTY = 'lhd-net-empty';
let dir: string;

before(() => {
  isolateHome('lhd-net-home-', true);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-net-'));
  fs.chmodSync(dir, 0o755);
  const file = path.join(dir, 'pool.xml');
  fs.writeFileSync(file, `<network><name>${POOL}</name><forward mode='hostdev' managed='yes'><pf dev='lhdnope0'/></forward></network>\n`);
  fs.chmodSync(file, 0o644);
  vmVirsh(['net-undefine', '--network', POOL]);
  const defined = vmVirsh(['net-define', '--file', file]);
  assert.equal(defined.code, 0, defined.stderr);
  const empty = path.join(dir, 'empty.xml');
  fs.writeFileSync(empty, `<network><name>${EMPTY}</name><forward mode='hostdev'/></network>\n`, { mode: 0o644 });
  vmVirsh(['net-destroy', '--network', EMPTY]);
  vmVirsh(['net-undefine', '--network', EMPTY]);
  assert.equal(vmVirsh(['net-define', '--file', empty]).code, 0);
  const started = vmVirsh(['net-start', '--network', EMPTY]);
  assert.equal(started.code, 0, started.stderr);
  undefineGuest(GUEST);
});

after(() => {
  undefineGuest(GUEST);
  vmVirsh(['net-undefine', '--network', POOL]);
  vmVirsh(['net-destroy', '--network', EMPTY]);
  vmVirsh(['net-undefine', '--network', EMPTY]);
  fs.rmSync(dir, { recursive: true, force: true });
});

async function agree(network: string, code: string): Promise<void> {
  const iface = `<interface type='network'><source network='${network}'/></interface>`;
  const transport = sshTransport();
  let problems;
  try {
    const { inventory } = await fetchInventory(transport, { host: 'this-machine', uri: 'qemu:///session', timeoutMs: 120_000 });
    problems = validate(`<domain type='qemu'><name>${GUEST}</name><devices>${iface}</devices></domain>`, { inventory }).filter(
      (p) => p.code === code,
    );
  } finally {
    transport.close();
  }
  undefineGuest(GUEST);
  defineGuest(GUEST, iface);
  const start = vmVirsh(['start', '--domain', GUEST]);
  vmVirsh(['destroy', '--domain', GUEST]);
  assert.notEqual(start.code, 0, 'libvirt started the guest');
  assert.equal(problems.length, 1, `no ${code}`);
  assert.equal(problems[0].severity, 'error');
  const quoted = /libvirt: "([^"]+)"/.exec(problems[0].message)?.[1];
  assert.ok(quoted, problems[0].message);
  assert.ok(start.stderr.includes(`error: ${quoted}`), `libvirt said:\n${start.stderr}\nthe rule quotes:\n${quoted}`);
}

test('network-unknown quotes what virsh start says for a network the host lacks', () => agree('lhd-net-nosuch', 'network-unknown'));

test('network-inactive quotes what virsh start says for a defined, inactive hostdev pool', () => agree(POOL, 'network-inactive'));

test('network-pool-exhausted quotes what virsh start says for an active hostdev pool with no VF', () =>
  agree(EMPTY, 'network-pool-exhausted'));

test("what a VF cannot take on a hostdev pool's interface: QEMU's define accepts it, an error here says the start fails", async () => {
  const iface =
    `<interface type='network'><mac address='52:54:00:5e:03:01'/><source network='${POOL}'/><model type='virtio'/>` +
    "<driver queues='4'/><bandwidth><inbound average='1000'/></bandwidth><port isolated='yes'/>" +
    "<filterref filter='clean-traffic'/><backend tap='/dev/net/tun'/></interface>";
  undefineGuest(GUEST);
  defineGuest(GUEST, iface);
  undefineGuest(GUEST);
  const transport = sshTransport();
  let problems;
  try {
    const { inventory } = await fetchInventory(transport, { host: 'this-machine', uri: 'qemu:///session', timeoutMs: 120_000 });
    problems = validate(`<domain type='qemu'><name>${GUEST}</name><devices>${iface}</devices></domain>`, { inventory }).filter(
      (p) => p.code === 'element-unsupported',
    );
  } finally {
    transport.close();
  }
  assert.deepEqual(
    problems.map((p) => [
      p.severity,
      /the guest fails to start; libvirt: "unsupported configuration: interface 52:54:00:5e:03:01 - /.test(p.message),
    ]),
    Array(5).fill(['error', true]),
  );
});
