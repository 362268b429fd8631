// What REAL libvirt does with a hostdev pool listing an address the host has no VF at (0000:3b:02.1,
// absent here as on the 82576 host of the test driver's 'explicit' pool), on the test user's
// qemu:///session with a session daemon of its own (own HOME and XDG directories, so the shared one
// is left alone): net-define refuses the pool (networkValidate), but a pool libvirt loads from its
// config directory (defined before its VFs went) is started by net-start without a check, and a
// guest start on it is handed the address (networkAllocatePort takes the first listed address no
// start holds) and fails after that, on the device: never with the pool's "none are available".
// Hence the rules count such an address as no free VF (rules/networkPool.ts, VfUsage.poolVfs).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NO_IOMMU_ERROR } from '../../../server/src/service/readiness';
import { sshEnv } from '../inventory/support';

const ADDRESS = '0000:3b:02.1';
const POOL = 'lhd-gone-pool';
const GUEST = 'lhd-gone-guest';
const poolXml = (name: string) =>
  `<network><name>${name}</name><forward mode='hostdev' managed='yes'><address type='pci' domain='0x0000' bus='0x3b' slot='0x02' function='0x1'/></forward></network>\n`;
let root = '';

/** virsh -c qemu:///session as the test user, against the session daemon of `root` (argv only). */
function virsh(...args: string[]): { code: number | null; out: string } {
  const dirs = ['HOME=home', 'XDG_RUNTIME_DIR=run', 'XDG_CONFIG_HOME=config', 'XDG_CACHE_HOME=cache'].map((d) =>
    d.replace('=', `=${root}/`),
  );
  const r = spawnSync('runuser', ['-u', sshEnv().user, '--', 'env', ...dirs, 'LC_ALL=C', 'virsh', '-c', 'qemu:///session', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    cwd: '/',
  });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

before(() => {
  assert.ok(!fs.existsSync(`/sys/bus/pci/devices/${ADDRESS}`), `this machine has a device at ${ADDRESS}`);
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-gone-'));
  fs.chmodSync(root, 0o755);
  const networks = path.join(root, 'config', 'libvirt', 'qemu', 'networks');
  for (const d of ['home', 'run', 'cache']) fs.mkdirSync(path.join(root, d), { mode: 0o700 });
  fs.mkdirSync(networks, { recursive: true });
  // a pool libvirt finds in its config directory when the daemon starts, as after the VFs went
  fs.writeFileSync(path.join(networks, `${POOL}.xml`), poolXml(POOL));
  fs.writeFileSync(
    path.join(root, 'guest.xml'),
    `<domain type='qemu'><name>${GUEST}</name><memory unit='MiB'>64</memory><os><type arch='x86_64'>hvm</type></os>` +
      `<devices><interface type='network'><mac address='52:54:00:5e:02:01'/><source network='${POOL}'/></interface></devices></domain>\n`,
  );
  fs.writeFileSync(path.join(root, 'define.xml'), poolXml('lhd-gone-define'));
  const owner = spawnSync('chown', ['-R', `${sshEnv().user}:`, root], { encoding: 'utf8' });
  assert.equal(owner.status, 0, owner.stderr);
});

after(() => {
  if (!root) return;
  virsh('destroy', GUEST);
  virsh('undefine', GUEST);
  virsh('net-destroy', POOL);
  // the session daemon virsh started for this directory: ended by its pid, not left for its idle timeout
  const pidFile = path.join(root, 'run', 'libvirt', 'libvirtd.pid');
  const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').trim()) : 0;
  if (pid > 0) process.kill(pid, 'SIGTERM');
  fs.rmSync(root, { recursive: true, force: true });
});

test('net-define refuses a pool listing an address the host has no VF at', () => {
  const r = virsh('net-define', path.join(root, 'define.xml'));
  assert.notEqual(r.code, 0);
  assert.match(
    r.out,
    /unsupported configuration: device '\/sys\/bus\/pci\/devices\/0000:3b:02\.1' in network 'lhd-gone-define' is not an SR-IOV Virtual Function/,
  );
});

test('net-start starts such a pool from its config; a guest start on it is handed the address and fails on the device, not for want of a free VF', () => {
  const started = virsh('net-start', POOL);
  assert.equal(started.code, 0, started.out);
  assert.match(virsh('net-dumpxml', POOL).out, /<address type='pci' domain='0x0000' bus='0x3b' slot='0x02' function='0x1'\/>/);
  assert.equal(virsh('define', path.join(root, 'guest.xml')).code, 0);
  const start = virsh('start', GUEST);
  assert.notEqual(start.code, 0, start.out);
  assert.doesNotMatch(start.out, /none are available/);
  // past the pool, the start prepares the address as a host device: a host without an IOMMU refuses
  // every PCI device, one with an IOMMU finds no device there (virPCIDeviceNew)
  const deviceNotFound = `Device ${ADDRESS} not found: could not access /sys/bus/pci/devices/${ADDRESS}/config`;
  assert.ok(start.out.includes(NO_IOMMU_ERROR) || start.out.includes(deviceNotFound), start.out);
  // the failed start holds nothing of the pool (no connections): the next start is handed the same address
  assert.doesNotMatch(virsh('net-dumpxml', POOL).out, /connections=/);
});
