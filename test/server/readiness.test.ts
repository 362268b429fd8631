// libvirtHostdev/readiness: the guide's host checks over the inventory the server holds (a snapshot
// file here), the same report `libvirt-hostdev readiness` prints, read again when asked.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exampleInventory, startTestServer } from './harness';
import type { ReadinessResult } from '../../shared/protocol';
import type { HostReadiness, Inventory } from '../../shared/snapshot';
import type { InventoryProvider } from '../../server/src/inventory/provider';
import { readinessChecks } from '../../server/src/service/readinessChecks';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-readiness-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const example = JSON.parse(fs.readFileSync(exampleInventory, 'utf8')) as Inventory;
const pfs = example.devices.filter((d) => d.kind === 'pf').map((d) => d.address);

/** the example host with its readiness facts: an IOMMU, vfio-pci, and VFs that `persistent` says a boot recreates */
function withReadiness(persistent: boolean, groups = 42): Inventory {
  const readiness: HostReadiness = {
    iommu: { groups, units: ['dmar0'], cmdline: ['intel_iommu=on'], interruptRemapping: 'supported' },
    kernelCmdline: 'BOOT_IMAGE=/vmlinuz intel_iommu=on',
    vfioPci: 'loaded',
    maxVfsDrivers: ['igb'],
    vfPersistence: Object.fromEntries(
      pfs.map((pf) => [
        pf,
        persistent ? [{ mechanism: 'modprobe', file: 'etc/modprobe.d/igb.conf', detail: 'options igb max_vfs=7', count: 7 }] : [],
      ]),
    ),
    unreadable: [],
  };
  return { ...example, readiness };
}

test('the report is the CLI readiness report of the source inventory, with when it was read', async () => {
  const file = path.join(dir, 'ready.json');
  fs.writeFileSync(file, JSON.stringify(withReadiness(false)));
  const client = await startTestServer({ initializationOptions: { settings: { inventoryFile: file } } });
  try {
    const result = await client.request<ReadinessResult>('libvirtHostdev/readiness', {});
    const inventory = JSON.parse(fs.readFileSync(file, 'utf8')) as Inventory;
    const checks = readinessChecks(inventory);
    assert.deepEqual(result.checks, checks);
    assert.equal(result.host, 'kvm-82576.example.com');
    assert.equal(result.takenAt, inventory.takenAt);
    assert.equal(result.error, null);
    const [title, readAt, ...rest] = result.text.split('\n');
    assert.equal(title, "Readiness of 'kvm-82576.example.com' for SR-IOV VF assignment:");
    assert.match(readAt, /^\(inventory taken .* ago\)$/);
    // then, after a blank line, each check with its status first (an editor is often narrower than the
    // terminal's layout) and its details under its title: the words `libvirt-hostdev readiness` prints
    const expected = checks.flatMap((c) => [`${c.status.toUpperCase()}  ${c.label}. ${c.title}`, ...c.details.map((d) => `         ${d}`)]);
    assert.deepEqual(rest, ['', ...expected, '']);
    assert.equal(checks.find((c) => c.id === 'iommu')?.status, 'pass');
    assert.equal(checks.find((c) => c.step === 5)?.status, 'warn', 'VFs made at runtime only: step 5 warns');
  } finally {
    await client.shutdown();
  }
});

test('refresh: true reads the host again first; without it the inventory held is used; a failed read says so', async () => {
  // a host whose VFs are made at runtime until the administrator adds the modprobe.d line, which the next read sees
  let current = { ...withReadiness(false), takenAt: '2026-12-04T10:00:00.000Z' };
  // what the host has when it is read next
  let onHost = current;
  let state: 'ok' | 'stale' = 'ok';
  let refreshes = 0;
  const provider: InventoryProvider = {
    current: () => ({
      inventory: current,
      status: {
        state,
        host: 'lab',
        source: 'host',
        takenAt: current.takenAt,
        freeVfs: 0,
        totalVfs: 0,
        error: state === 'stale' ? 'connect ECONNREFUSED 192.0.2.7:22' : null,
      },
    }),
    refresh: async () => {
      refreshes++;
      current = onHost;
    },
    onDidChange: () => ({ dispose: () => undefined }),
    dispose: () => undefined,
  };
  const client = await startTestServer({
    initializationOptions: { settings: { hosts: [{ name: 'lab', target: 'local' }], activeHost: 'lab' } },
    createHostProvider: () => provider,
  });
  try {
    // the server reads a host when it is first asked about it
    await client.request('libvirtHostdev/getInventory', {});
    const reads = refreshes;
    onHost = { ...withReadiness(true), takenAt: '2026-12-04T11:00:00.000Z' };
    const held = await client.request<ReadinessResult>('libvirtHostdev/readiness', {});
    assert.equal(refreshes, reads, 'not read again');
    assert.equal(held.host, 'lab');
    assert.equal(held.checks.find((c) => c.step === 5)?.status, 'warn');
    const refreshed = await client.request<ReadinessResult>('libvirtHostdev/readiness', { refresh: true });
    assert.equal(refreshes, reads + 1, 'read again before the checks');
    assert.equal(refreshed.takenAt, '2026-12-04T11:00:00.000Z');
    assert.equal(refreshed.checks.find((c) => c.step === 5)?.status, 'pass');
    state = 'stale';
    const stale = await client.request<ReadinessResult>('libvirtHostdev/readiness', {});
    assert.equal(stale.error, 'connect ECONNREFUSED 192.0.2.7:22');
    assert.match(stale.text.split('\n')[1], /^\(inventory taken .* ago; reading it again failed: connect ECONNREFUSED 192\.0\.2\.7:22\)$/);
  } finally {
    await client.shutdown();
  }
});

test('no inventory source: no checks, the reason instead', async () => {
  const client = await startTestServer({});
  try {
    const result = await client.request<ReadinessResult>('libvirtHostdev/readiness', {});
    assert.deepEqual(result.checks, []);
    assert.equal(result.text, '');
    assert.match(result.error ?? '', /no host or inventory file is configured/);
  } finally {
    await client.shutdown();
  }
});

test('the readiness server command (editors without our client) answers the report and shows it as a message that asks nothing', async () => {
  const file = path.join(dir, 'command.json');
  fs.writeFileSync(file, JSON.stringify(withReadiness(false)));
  const client = await startTestServer({ initializationOptions: { settings: { inventoryFile: file } } });
  try {
    const result = await client.request<{ ok: boolean; message: string }>('workspace/executeCommand', {
      command: 'libvirtHostdev.server.readiness',
      arguments: [{}],
    });
    assert.equal(result.ok, true);
    const report = await client.request<ReadinessResult>('libvirtHostdev/readiness', {});
    assert.equal(result.message, report.text.trimEnd());
    const shown = await client.messages.wait('the report shown', (m) => m.message === result.message);
    assert.deepEqual({ type: shown.type, question: shown.question }, { type: 3, question: undefined });
  } finally {
    await client.shutdown();
  }
  const none = await startTestServer({});
  try {
    const result = await none.request<{ ok: boolean; message: string }>('workspace/executeCommand', {
      command: 'libvirtHostdev.server.readiness',
      arguments: [{}],
    });
    assert.deepEqual(result, { ok: false, message: 'No readiness report: no host or inventory file is configured' });
  } finally {
    await none.shutdown();
  }
});
