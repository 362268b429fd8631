// The inventory script run by the REAL /bin/sh (dash on Debian) and bash, against sysfs-shaped
// trees and real virsh (libvirt's test driver from a host file: no daemon needed).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HostError } from '../../../server/src/host/transport';
import { validate } from '../../../server/src/service/validate';
import { fetchInventory, INVENTORY_COMMAND } from '../../../server/src/inventory/fetchInventory';
import { parseInventoryOutput, type InventoryResult } from '../../../server/src/inventory/parseOutput';
import { buildInventoryScript, type InventoryScriptOptions } from '../../../server/src/inventory/script';
import { addConnectX5, addIntelX710, buildRhelExampleTree, SysfsTree, addHostBridge } from '../../support/sysfsTree';
import { HOSTILE_NAME, pathWithoutVirsh, runSh, ShellTransport, tempDir, writeTestDriverHost } from '../../support/shellHost';

let work: string;
let tree: SysfsTree;
let uri: string;

before(() => {
  work = tempDir('lhd-script-');
  tree = buildRhelExampleTree(path.join(work, 'sys')).tree;
  addIntelX710(tree, { bus: 0x3b, numVfs: [4, 0] });
  addConnectX5(tree);
  tree.writeIpLink();
  tree.writeLspci([
    '0000:0b:10.0 "Ethernet controller" "Intel Corporation" "82576 Virtual Function" -r01 "Intel Corporation" "Device 0000"',
  ]);
  uri = writeTestDriverHost(work);
});

after(() => fs.rmSync(work, { recursive: true, force: true }));

async function run(
  options: InventoryScriptOptions & { shell?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<InventoryResult> {
  const sysfsRoot = options.sysfsRoot ?? tree.root;
  const u = options.uri ?? uri;
  const built = buildInventoryScript({ ...options, sysfsRoot, uri: u });
  const result = await runSh(`${options.shell ?? 'sh'} -s`, { stdin: built.script, timeoutMs: 30_000 }, options.env, options.cwd);
  return parseInventoryOutput(result.stdout, {
    boundary: built.boundary,
    host: 'kvm1',
    takenAt: '2026-11-25T12:00:00.000Z',
    sysfsRoot,
    uri: u,
  });
}

test('82576 + X710 + ConnectX-5 tree: PFs, VFs with index/PF/driver/group/netdev, admin settings, product names', async () => {
  const { inventory, warnings, complete } = await run();
  assert.equal(complete, true);
  assert.deepEqual(warnings, []);
  const byAddr = new Map(inventory.devices.map((d) => [d.address, d]));
  assert.deepEqual(byAddr.get('0000:0b:00.0'), {
    address: '0000:0b:00.0',
    kind: 'pf',
    vendor: '0x8086',
    product: '0x10c9',
    driver: 'igb',
    iommuGroup: 2,
    numaNode: 0,
    netdev: 'enp11s0f0',
    mac: '00:1b:21:aa:bb:00',
    totalVfs: 7,
    numVfs: 7,
  });
  const vf0 = byAddr.get('0000:0b:10.0');
  assert.deepEqual(vf0, {
    address: '0000:0b:10.0',
    kind: 'vf',
    vendor: '0x8086',
    product: '0x10ca',
    name: '82576 Virtual Function',
    driver: 'igbvf',
    iommuGroup: 3,
    numaNode: 0,
    netdev: 'enp11s16f0',
    mac: vf0?.mac,
    pf: '0000:0b:00.0',
    vfIndex: 0,
    vf: { mac: '52:54:00:6d:90:01', vlan: 42, spoofchk: true, trust: false },
  });
  // 82576 interleaves the two PFs' VFs: 0b:10.1 is VF 0 of PF 1, 0b:11.4 is VF 6 of PF 0.
  assert.equal(byAddr.get('0000:0b:10.1')?.pf, '0000:0b:00.1');
  assert.equal(byAddr.get('0000:0b:10.1')?.vfIndex, 0);
  assert.equal(byAddr.get('0000:0b:11.4')?.vfIndex, 6);
  assert.equal(inventory.devices.filter((d) => d.kind === 'vf').length, 14 + 4);
  assert.deepEqual(
    [byAddr.get('0000:3b:02.0')?.driver, byAddr.get('0000:3b:02.0')?.product, byAddr.get('0000:3b:00.0')?.numVfs],
    ['iavf', '0x154c', 4],
  );
  const cx5 = byAddr.get('0000:5e:00.0');
  assert.deepEqual([cx5?.kind, cx5?.driver, cx5?.totalVfs, cx5?.numVfs, cx5?.numaNode], ['pf', 'mlx5_core', 8, 0, 1]);
  // the host bridge is neither SR-IOV nor a network device, and in no VF's group
  assert.equal(byAddr.has('0000:00:00.0'), false);
});

test('test-driver host: guests with state, persistence, config/live devices and MACs; hostdev networks resolved to VFs', async () => {
  const { inventory } = await run();
  assert.deepEqual(inventory.guests.map((g) => g.name).sort(), [HOSTILE_NAME, 'web01'].sort());
  const web = inventory.guests.find((g) => g.name === 'web01');
  assert.deepEqual(web, {
    name: 'web01',
    uuid: '6695eb01-f6a4-8304-79aa-97f2502e1001',
    state: 'running',
    persistent: true,
    devices: [{ address: '0000:0b:10.0', element: 'interface', config: true, live: true, mac: '52:54:00:6d:90:01' }],
    macs: ['52:54:00:6d:90:01', '52:54:00:00:00:99'],
    networks: ['default'],
    interfacesPerNetwork: { default: 1 },
    portgroupsPerNetwork: { default: ['office'] },
  });
  const db = inventory.guests.find((g) => g.name === HOSTILE_NAME);
  assert.deepEqual(db, {
    name: HOSTILE_NAME,
    uuid: '6695eb01-f6a4-8304-79aa-97f2502e1002',
    state: 'shut off',
    persistent: true,
    devices: [{ address: '0000:0b:10.2', element: 'hostdev', config: true, live: false, mac: null }],
    macs: [],
  });
  assert.deepEqual(inventory.networks, [
    { name: 'default', uuid: '6695eb01-f6a4-8304-79aa-97f2502e2003', active: true, addresses: [], forwardMode: 'nat', autostart: false },
    {
      name: 'explicit',
      uuid: '6695eb01-f6a4-8304-79aa-97f2502e2002',
      active: true,
      addresses: ['0000:3b:02.1'],
      forwardMode: 'hostdev',
      autostart: false,
      managed: true,
      portgroups: [{ name: 'blue', default: true, vlan: [100] }, { name: 'red' }],
    },
    {
      name: 'sriov-pool',
      uuid: '6695eb01-f6a4-8304-79aa-97f2502e2001',
      active: true,
      addresses: ['0000:0b:10.1', '0000:0b:10.3', '0000:0b:10.5', '0000:0b:10.7', '0000:0b:11.1', '0000:0b:11.3', '0000:0b:11.5'],
      forwardMode: 'hostdev',
      autostart: false,
      managed: true,
      pfDevs: ['enp11s0f1'],
    },
  ]);
});

test("test-driver host: a guest's <source portgroup> reaches the snapshot, and a definition of its network without that portgroup gets portgroup-in-use", async () => {
  const { inventory } = await run();
  assert.deepEqual(inventory.guests.find((g) => g.name === 'web01')?.portgroupsPerNetwork, { default: ['office'] });
  const text = "<network><name>default</name><forward mode='nat'/></network>";
  const problems = validate(text, { inventory }).filter((p) => p.code === 'portgroup-in-use');
  assert.deepEqual(
    problems.map((p) => [text.slice(p.span.start, p.span.end), p.message.slice(0, p.message.indexOf(' — '))]),
    [['default', "Portgroup 'office' missing, and a guest names it"]],
  );
  const kept = "<network><name>default</name><forward mode='nat'/><portgroup name='office'/></network>";
  assert.deepEqual(
    validate(kept, { inventory }).filter((p) => p.code === 'portgroup-in-use'),
    [],
  );
});

test('hostile guest name round-trips exactly and runs nothing (no file appears in the working directory)', async () => {
  const cwd = tempDir('lhd-cwd-');
  try {
    const { inventory } = await run({ cwd });
    assert.ok(inventory.guests.some((g) => g.name === HOSTILE_NAME));
    assert.deepEqual(fs.readdirSync(cwd), []);
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
});

test('hostile sysfs root and URI values are quoted: the tree is read and nothing is executed', async () => {
  const cwd = tempDir('lhd-cwd-');
  const odd = path.join(work, `tree $(touch pwned-root) 'q' ;x`);
  try {
    fs.cpSync(tree.root, odd, { recursive: true, verbatimSymlinks: true });
    const r = await run({ sysfsRoot: odd, uri: `test:///nonexistent $(touch pwned-uri)`, cwd });
    assert.equal(r.inventory.devices.filter((d) => d.kind === 'vf').length, 18);
    assert.deepEqual(fs.readdirSync(cwd), []);
    assert.match(r.libvirtFailure ?? '', /failed to connect to the hypervisor/);
  } finally {
    fs.rmSync(odd, { recursive: true, force: true });
    fs.rmSync(cwd, { recursive: true, force: true });
  }
});

test('bash reads the same inventory as dash', async () => {
  const a = await run();
  const b = await run({ shell: 'bash' });
  assert.deepEqual(b.inventory, a.inventory);
});

test("the user's exported ls/grep settings (QUOTING_STYLE, GREP_OPTIONS, GREP_COLOR) do not change the inventory", async () => {
  const plain = await run();
  assert.ok(
    plain.inventory.devices.some((d) => d.kind === 'vf' && d.driver),
    'the tree has VFs with drivers',
  );
  // a login shell's rc file (bash reads ~/.bashrc under sshd) may export these; ls and grep honour them
  for (const env of [{ QUOTING_STYLE: 'shell-always' }, { QUOTING_STYLE: 'c' }, { GREP_OPTIONS: '--color=always', GREP_COLOR: '01;31' }]) {
    const r = await run({ env: { ...process.env, ...env } });
    assert.deepEqual(r.inventory, plain.inventory, JSON.stringify(env));
  }
});

test("bash as sh: the login shell's exported functions (export -f ls) and SHELLOPTS=errexit do not change the inventory", async () => {
  const plain = await run({ shell: 'bash' });
  for (const env of [
    // what `ls() { command ls --color=always "$@"; }; export -f ls` puts in the environment
    { 'BASH_FUNC_ls%%': '() {  command ls --color=always "$@"\n}' },
    { 'BASH_FUNC_grep%%': '() {  return 1\n}' },
    { SHELLOPTS: 'errexit' },
  ]) {
    const r = await run({ shell: 'bash', env: { ...process.env, ...env } });
    assert.equal(r.complete, true, JSON.stringify(env));
    assert.deepEqual(r.inventory, plain.inventory, JSON.stringify(env));
  }
});

test('host without virsh: a warning says so, the sysfs part is kept', async () => {
  const dir = tempDir('lhd-novirsh-');
  try {
    const r = await run({ env: { PATH: pathWithoutVirsh(dir) } });
    assert.equal(r.complete, true);
    assert.equal(r.inventory.devices.filter((d) => d.kind === 'vf').length, 18);
    assert.equal(r.inventory.devices.find((d) => d.address === '0000:0b:10.0')?.vf?.vlan, 42);
    assert.deepEqual(r.inventory.guests, []);
    assert.deepEqual(r.inventory.networks, []);
    assert.deepEqual(r.warnings, ['virsh not found on the host (install libvirt-clients): guests and networks are unknown']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("refused libvirt connection: libvirt's own message is the read's failure, never an inventory without guests", async () => {
  const connect = 'qemu+unix:///system?socket=/nonexistent/libvirt-sock';
  const r = await run({ uri: connect });
  assert.match(
    r.libvirtFailure ?? '',
    /^error: failed to connect to the hypervisor; error: Failed to connect socket to '\/nonexistent\/libvirt-sock'/,
  );
  assert.deepEqual(r.warnings, []);
  await assert.rejects(
    fetchInventory(new ShellTransport(), { host: 'kvm1', uri: connect, sysfsRoot: tree.root, timeoutMs: 30_000 }),
    (e: Error) =>
      e instanceof HostError &&
      e.message.startsWith(`libvirt on test-shell cannot be reached: virsh -c ${connect}: error: failed to connect to the hypervisor; `),
  );
});

test('host without SR-IOV: a warning and no devices; guests are still read', async () => {
  const plain = new SysfsTree(path.join(work, 'plain'));
  addHostBridge(plain);
  const r = await run({ sysfsRoot: plain.root });
  assert.deepEqual(r.inventory.devices, []);
  assert.equal(r.inventory.guests.length, 2);
  assert.equal(r.warnings.length, 2, r.warnings.join('\n'));
  assert.match(r.warnings[0], /no SR-IOV device under .*plain\/bus\/pci\/devices/);
  // the pool network names a PF this host does not have
  assert.equal(r.warnings[1], "network 'sriov-pool': PF 'enp11s0f1' is not a SR-IOV device on the host");
});

test('missing sysfs root: a warning naming it; guests are still read', async () => {
  const r = await run({ sysfsRoot: path.join(work, 'no-such-dir') });
  assert.deepEqual(r.inventory.devices, []);
  assert.equal(r.inventory.guests.length, 2);
  assert.ok(
    r.warnings.some((w) => w.includes(`sysfs root '${path.join(work, 'no-such-dir')}' does not exist`)),
    r.warnings.join('\n'),
  );
});

test('guests beyond one virsh batch are read through several virsh processes in the same script', async () => {
  const small = await run({ virshBatchChars: 50 });
  const normal = await run();
  assert.deepEqual(small.inventory, normal.inventory);
});

test('a new boundary token per run; a refresh is ONE exec of `sh -s` with the script on stdin', async () => {
  assert.notEqual(buildInventoryScript().boundary, buildInventoryScript().boundary);
  const shell = new ShellTransport();
  const r = await fetchInventory(shell, { host: 'kvm1', uri, sysfsRoot: tree.root, timeoutMs: 30_000 });
  assert.deepEqual(shell.execs, [INVENTORY_COMMAND]);
  assert.equal(r.inventory.host, 'kvm1');
  assert.equal(r.inventory.guests.length, 2);
});

test('output cut before the final record is an error, not a partial inventory', async () => {
  const shell = new ShellTransport();
  shell.replyNext = { code: null, stdout: 'LHDxx begin-inventory\n', stderr: '' };
  await assert.rejects(fetchInventory(shell, { host: 'kvm1', uri, sysfsRoot: tree.root, timeoutMs: 30_000 }), /incomplete/);
});
