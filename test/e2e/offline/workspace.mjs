// The workspace the e2e suite opens: test/e2e/workspace/ copied into a temp folder, with
// .vscode/settings.json pointing libvirtHostdev.hosts at the loopback sshd of test/setup/env.sh
// (vmtest@127.0.0.1:PORT, qemu:///session, a generated host root: sysfs, etc, proc/cmdline) and two shut-off guests defined in
// vmtest's qemu:///session. Without that environment it falls back to the example snapshot file
// (inventoryFile), and the host-only tests are reported as failures by the suite, never skipped.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

export const HOST_NAME = 'e2e-host';
export const UNREACHABLE_HOST = 'e2e-unreachable';
export const ENCRYPTED_KEY_HOST = 'e2e-passphrase';
/** guests in vmtest's qemu:///session: the attach target, one whose config holds VF 0000:0b:10.0, and a
 *  running one (TCG, no disk, 64 MiB: starts in well under a second) for the --config/--live choice */
export const GUESTS = { target: 'lhd-e2e-db01', user: 'lhd-e2e-web01', running: 'lhd-e2e-app01' };

const RUNNING_DEVICES = `
    <video><model type='none'/></video>
    <memballoon model='none'/>`;

function domainXml(name, devices) {
  return `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>${devices}
  </devices>
</domain>
`;
}

const WEB01_DEVICE = `
    <interface type='hostdev' managed='yes'>
      <mac address='52:54:00:6d:90:01'/>
      <source>
        <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'/>
      </source>
      <vlan><tag id='42'/></vlan>
    </interface>`;

/** virsh as vmtest on qemu:///session (the daemon env.sh warmed up), like the server does over ssh. */
export function virshAsVmtest(env, args) {
  const runtime = env.LIBVIRT_HOSTDEV_TEST_VMTEST_RUNTIME_DIR;
  const user = env.LIBVIRT_HOSTDEV_TEST_SSH_USER || 'vmtest';
  const quoted = args.map((a) => `'${String(a).replace(/'/g, `'\\''`)}'`).join(' ');
  return execFileSync('su', ['-', user, '-c', `export XDG_RUNTIME_DIR='${runtime}'; virsh -c qemu:///session ${quoted}`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function defineGuests(env, temp, cleanups, say) {
  const existing = virshAsVmtest(env, ['list', '--all', '--name'])
    .split('\n')
    .map((s) => s.trim());
  for (const name of Object.values(GUESTS)) {
    if (!existing.includes(name)) continue;
    // leftover of an interrupted run
    try {
      virshAsVmtest(env, ['destroy', name]);
    } catch {
      /* not running */
    }
    virshAsVmtest(env, ['undefine', name]);
  }
  const files = {
    [GUESTS.target]: domainXml(GUESTS.target, ''),
    [GUESTS.user]: domainXml(GUESTS.user, WEB01_DEVICE),
    [GUESTS.running]: domainXml(GUESTS.running, RUNNING_DEVICES),
  };
  for (const [name, xml] of Object.entries(files)) {
    const file = path.join(temp, `${name}.xml`);
    fs.writeFileSync(file, xml, { mode: 0o644 });
    virshAsVmtest(env, ['define', file]);
    cleanups.push(() => {
      virshAsVmtest(env, ['undefine', name]);
    });
  }
  virshAsVmtest(env, ['start', GUESTS.running]);
  cleanups.push(() => {
    virshAsVmtest(env, ['destroy', GUESTS.running]);
  });
  say(`defined ${Object.keys(files).join(', ')} in vmtest's qemu:///session`);
}

/**
 * Multi-root pass: a second folder whose documents use the example snapshot (its own folder settings),
 * beside the first, whose documents use the loopback host; both in one .code-workspace, which also
 * holds the window's settings (a folder's window settings do not apply in a multi-root window).
 */
function secondFolderWorkspace(root, temp, folder, settings) {
  const second = path.join(temp, 'second');
  fs.mkdirSync(path.join(second, '.vscode'), { recursive: true });
  fs.copyFileSync(path.join(root, 'test', 'e2e', 'workspace', 'hover.xml'), path.join(second, 'snapshot-guest.xml'));
  const snapshot = { 'libvirtHostdev.inventoryFile': path.join(root, 'examples', '82576-inventory.json') };
  fs.writeFileSync(path.join(second, '.vscode', 'settings.json'), `${JSON.stringify(snapshot, null, 2)}\n`);
  const windowSettings = Object.fromEntries(Object.entries(settings).filter(([key]) => !key.startsWith('libvirtHostdev.')));
  const file = path.join(temp, 'two-hosts.code-workspace');
  fs.writeFileSync(file, `${JSON.stringify({ folders: [{ path: folder }, { path: second }], settings: windowSettings }, null, 2)}\n`);
  return file;
}

/** Copies the workspace, writes its settings; returns the folder (and for the multi-root pass the .code-workspace) and env for the extension host. */
export async function prepareWorkspace({ root, temp, mode, cleanups, say }) {
  const folder = path.join(temp, 'workspace');
  fs.cpSync(path.join(root, 'test', 'e2e', 'workspace'), folder, { recursive: true });
  const env = process.env;
  const settings = { 'workbench.startupEditor': 'none', 'editor.codeLens': true, 'files.autoSave': 'off' };
  const sysfsModule = path.join(root, 'out', 'test', 'support', 'sysfsTree.js');
  const hostTreeModule = path.join(root, 'out', 'test', 'support', 'hostTree.js');
  const haveHost = !!env.LIBVIRT_HOSTDEV_TEST_SSH_PORT && fs.existsSync(sysfsModule);
  if (haveHost) {
    const load = createRequire(import.meta.url);
    const { buildRhelExampleTree } = load(sysfsModule);
    const { HostTree } = load(hostTreeModule);
    // a host as an administrator leaves it after the guide: IOMMU and interrupt remapping on, the VFs
    // made persistent in modprobe.d, vfio-pci loaded (the readiness report, and its picture, pass)
    const host = new HostTree();
    cleanups.push(() => host.remove());
    buildRhelExampleTree(host.sys);
    host.module('vfio_pci');
    host.write('etc/modprobe.d/igb.conf', 'options igb max_vfs=7\n');
    settings['libvirtHostdev.hosts'] = [
      {
        name: HOST_NAME,
        target: `${env.LIBVIRT_HOSTDEV_TEST_SSH_USER || 'vmtest'}@127.0.0.1:${env.LIBVIRT_HOSTDEV_TEST_SSH_PORT}`,
        connect: 'qemu:///session',
        identityFile: env.LIBVIRT_HOSTDEV_TEST_SSH_KEY,
        hostRoot: host.root,
      },
      {
        // same sshd, key encrypted with a passphrase: the server asks the client (AskSecretRequest)
        name: ENCRYPTED_KEY_HOST,
        target: `${env.LIBVIRT_HOSTDEV_TEST_SSH_USER || 'vmtest'}@127.0.0.1:${env.LIBVIRT_HOSTDEV_TEST_SSH_PORT}`,
        connect: 'qemu:///session',
        identityFile: env.LIBVIRT_HOSTDEV_TEST_SSH_KEY_ENCRYPTED,
        hostRoot: host.root,
      },
      {
        // nothing listens on port 1: the status bar and a diagnostic must say "unreachable"
        name: UNREACHABLE_HOST,
        target: `${env.LIBVIRT_HOSTDEV_TEST_SSH_USER || 'vmtest'}@127.0.0.1:1`,
        connect: 'qemu:///session',
        identityFile: env.LIBVIRT_HOSTDEV_TEST_SSH_KEY,
      },
    ];
    // the restricted run's first-run walk ends by trusting the folder and attaching to a guest
    if (mode !== 'multiroot') defineGuests(env, temp, cleanups, say);
    // Restricted run: the untrusted folder also NAMES the active host, so a trust filter that let
    // workspace settings through would make the server contact it (restricted.test.ts checks not).
    // User run: no test suite selects the host, so the workspace names it.
    if (mode !== 'trusted') settings['libvirtHostdev.activeHost'] = HOST_NAME;
  } else {
    say('no LIBVIRT_HOSTDEV_TEST_SSH_PORT (test/setup/env.sh) or no out/test/support/sysfsTree.js: using the example snapshot');
    settings['libvirtHostdev.inventoryFile'] = path.join(root, 'examples', '82576-inventory.json');
  }
  fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  const workspaceFile = mode === 'multiroot' ? secondFolderWorkspace(root, temp, folder, settings) : null;
  return {
    folder,
    workspaceFile,
    env: {
      LIBVIRT_HOSTDEV_E2E_HOST: haveHost ? HOST_NAME : '',
      LIBVIRT_HOSTDEV_E2E_UNREACHABLE_HOST: haveHost ? UNREACHABLE_HOST : '',
      LIBVIRT_HOSTDEV_E2E_PASSPHRASE_HOST: haveHost ? ENCRYPTED_KEY_HOST : '',
      LIBVIRT_HOSTDEV_E2E_GUEST: GUESTS.target,
      LIBVIRT_HOSTDEV_E2E_GUEST_USER: GUESTS.user,
      LIBVIRT_HOSTDEV_E2E_GUEST_RUNNING: GUESTS.running,
    },
  };
}
