// The live-host provider over a real /bin/sh transport: one exec per refresh, last good inventory
// kept on failure, refreshes asked for during a read answered by the read after it, status counts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HostError } from '../../../server/src/host/transport';
import { createHostInventoryProvider } from '../../../server/src/inventory/hostProvider';
import type { HostConfig } from '../../../shared/settings';
import { buildRhelExampleTree } from '../../support/sysfsTree';
import { pathWithoutVirsh, ShellTransport, tempDir, writeTestDriverHost } from '../../support/shellHost';

let work: string;
let host: HostConfig;

before(() => {
  work = tempDir('lhd-provider-');
  const { tree } = buildRhelExampleTree(path.join(work, 'sys'));
  host = { name: 'kvm1', target: 'local', connect: writeTestDriverHost(work), sysfsRoot: tree.root };
});

after(() => fs.rmSync(work, { recursive: true, force: true }));

function provider(shell: ShellTransport) {
  const now = new Date('2026-11-25T12:00:00.000Z');
  return createHostInventoryProvider(host, { transportFor: async () => shell, commandTimeoutMs: 30_000, now: () => now });
}

test('refresh is one exec; status ok with free/total VF counts (guest-held and pooled VFs are not free)', async () => {
  const shell = new ShellTransport();
  const p = provider(shell);
  assert.equal(p.current().status.state, 'none');
  await p.refresh();
  assert.equal(shell.execs.length, 1);
  const { inventory, status, warnings } = p.current();
  assert.equal(inventory?.host, 'kvm1');
  // 14 VFs; web01 holds 0b:10.0, the other guest 0b:10.2, sriov-pool (PF 'enp11s0f1', active) pools 7
  assert.deepEqual(status, {
    state: 'ok',
    host: 'kvm1',
    source: 'host',
    takenAt: '2026-11-25T12:00:00.000Z',
    freeVfs: 14 - 2 - 7,
    totalVfs: 14,
    error: null,
    // a sysfs copy alone (--sysfs-root): the IOMMU from its groups, nothing about this machine's /etc;
    // then the pools (the test driver starts its networks without autostart)
    readiness: [
      'IOMMU on, 17 groups',
      // its one address is no VF: no start gets a VF from it
      "VF pool 'explicit': Network 'explicit' does not autostart: after a host reboot it is down; No VF a start can get from pool 'explicit': no device 0000:3b:02.1 on host 'kvm1'",
      "VF pool 'sriov-pool': Network 'sriov-pool' does not autostart: after a host reboot it is down",
    ],
  });
  // the 'explicit' network's 0000:3b:02.1 is not on this host: its pool is kept as libvirt has it
  assert.deepEqual(warnings, []);
  p.dispose();
});

test('a refresh asked for while a read runs gets a read that starts after it, shared by all asked for meanwhile', async () => {
  const shell = new ShellTransport();
  let open!: () => void;
  shell.gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const p = provider(shell);
  const running = p.refresh();
  // e.g. an attach that ended while the host was being read: the running read may predate it
  const afterChange = p.refresh();
  const alsoAfterChange = p.refresh();
  assert.notEqual(afterChange, running);
  assert.equal(alsoAfterChange, afterChange);
  let firstDone = false;
  void running.then(() => {
    firstDone = true;
  });
  open();
  await afterChange;
  assert.ok(firstDone);
  assert.equal(shell.execs.length, 2, 'one more read, not one per refresh asked for');
  await p.refresh();
  assert.equal(shell.execs.length, 3);
  p.dispose();
});

test('a failed refresh keeps the last good inventory: state stale with the error; the next success clears it', async () => {
  const shell = new ShellTransport();
  const p = provider(shell);
  await p.refresh();
  const good = p.current().inventory;
  assert.ok(good);
  shell.failNext = new HostError('unreachable', 'connection to vmtest@127.0.0.1:22222 was lost while a command ran');
  await p.refresh();
  const stale = p.current();
  assert.equal(stale.inventory, good);
  assert.equal(stale.status.state, 'stale');
  assert.equal(stale.status.error, 'connection to vmtest@127.0.0.1:22222 was lost while a command ran');
  assert.equal(stale.status.totalVfs, 14);
  await p.refresh();
  assert.equal(p.current().status.state, 'ok');
  assert.equal(p.current().status.error, null);
  p.dispose();
});

test('cut-off output (dropped mid-refresh) is a failure too, never a partial inventory', async () => {
  const shell = new ShellTransport();
  const p = provider(shell);
  await p.refresh();
  const good = p.current().inventory;
  shell.replyNext = { code: null, stdout: 'partial', stderr: '' };
  await p.refresh();
  assert.equal(p.current().inventory, good);
  assert.equal(p.current().status.state, 'stale');
  assert.match(p.current().status.error ?? '', /incomplete/);
  p.dispose();
});

test('first refresh failing: unreachable with the reason and no inventory; listeners hear loading then the result', async () => {
  const shell = new ShellTransport();
  shell.failNext = new HostError('auth', 'authentication to vmtest@127.0.0.1:22222 failed (publickey)');
  const p = provider(shell);
  const seen: string[] = [];
  const sub = p.onDidChange(() => seen.push(p.current().status.state));
  await p.refresh();
  assert.deepEqual(seen, ['loading', 'unreachable']);
  assert.equal(p.current().inventory, null);
  assert.equal(p.current().status.error, 'authentication to vmtest@127.0.0.1:22222 failed (publickey)');
  sub.dispose();
  await p.refresh();
  assert.deepEqual(seen, ['loading', 'unreachable']);
  p.dispose();
});

test('transportFor failing (bad target) is reported like any host failure', async () => {
  const p = createHostInventoryProvider(host, {
    transportFor: async () => {
      throw new HostError('config', "bad target 'a@b@c'");
    },
    commandTimeoutMs: 1000,
  });
  await p.refresh();
  assert.deepEqual([p.current().status.state, p.current().status.error], ['unreachable', "bad target 'a@b@c'"]);
  p.dispose();
});

test('what a refresh could not read reaches the status as warnings (here the host has no virsh); sysfs is kept', async () => {
  const dir = tempDir('lhd-provider-novirsh-');
  const shell = new ShellTransport({ ...process.env, PATH: pathWithoutVirsh(dir) });
  const partial = createHostInventoryProvider(host, { transportFor: async () => shell, commandTimeoutMs: 30_000 });
  try {
    await partial.refresh();
    const { inventory, status } = partial.current();
    assert.equal(status.state, 'ok');
    assert.equal(status.totalVfs, 14);
    assert.deepEqual(status.warnings, ['virsh not found on the host (install libvirt-clients): guests and networks are unknown']);
    assert.deepEqual(inventory?.guests, []);
  } finally {
    partial.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('libvirt refusing the URI is a failed refresh (unreachable, then stale), never a host without guests', async () => {
  const shell = new ShellTransport();
  // the provider reads its host's settings at each refresh: the URI is changed in place
  const changing: HostConfig = { ...host, connect: 'test:///no/such/host.xml' };
  const p = createHostInventoryProvider(changing, { transportFor: async () => shell, commandTimeoutMs: 30_000 });
  await p.refresh();
  assert.equal(p.current().status.state, 'unreachable');
  assert.equal(p.current().inventory, null);
  assert.match(
    p.current().status.error ?? '',
    /^libvirt on test-shell cannot be reached: virsh -c test:\/\/\/no\/such\/host\.xml: .*failed to connect to the hypervisor/,
  );
  changing.connect = host.connect;
  await p.refresh();
  const good = p.current().inventory;
  assert.equal(good?.guests.length, 2);
  changing.connect = 'test:///no/such/host.xml';
  await p.refresh();
  assert.equal(p.current().status.state, 'stale');
  assert.equal(p.current().inventory, good);
  p.dispose();
});

test('refreshes are logged at their level: success at info with duration and counts, first failure at error, later failure at warn', async () => {
  const lines: string[] = [];
  const log = {
    info: (m: string) => lines.push(`info ${m}`),
    warn: (m: string) => lines.push(`warn ${m}`),
    error: (m: string) => lines.push(`error ${m}`),
  };
  let fail: HostError | null = new HostError('auth', 'authentication to vmtest@127.0.0.1:22222 failed (publickey)');
  const shell = new ShellTransport();
  const p = createHostInventoryProvider(host, {
    transportFor: async () => {
      if (fail) throw fail;
      return shell;
    },
    commandTimeoutMs: 30_000,
    log,
  });
  await p.refresh();
  fail = null;
  await p.refresh();
  fail = new HostError('unreachable', 'connect ECONNREFUSED 127.0.0.1:1');
  await p.refresh();
  p.dispose();
  assert.equal(lines.length, 3, lines.join('\n'));
  assert.match(
    lines[0],
    /^error inventory of 'kvm1' \(local\) failed after \d+ ms: authentication to vmtest@127\.0\.0\.1:22222 failed \(publickey\)$/,
  );
  assert.match(lines[1], /^info inventory of 'kvm1' \(local\) read in \d+ ms: \d+ PCI devices, 5\/14 VFs free, \d+ guests$/);
  assert.match(
    lines[2],
    /^warn inventory of 'kvm1' \(local\) failed after \d+ ms: connect ECONNREFUSED 127\.0\.0\.1:1 \(the last good inventory of .+ is still used\)$/,
  );
});
