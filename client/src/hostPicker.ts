// Select Host: a quick pick of the configured hosts (+ "local" when nothing is configured and virsh is
// on PATH), "Use inventory file…" and "Add host…". It only writes settings; the server notices the
// change (workspace/didChangeConfiguration) and loads the new inventory.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HostConfig } from '../../shared/settings';
import * as config from './config';

function virshOnPath(): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, 'virsh'), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

type Choice = vscode.QuickPickItem & ({ host: HostConfig } | { action: 'file' | 'add' });

async function chooseInventoryFile(): Promise<boolean> {
  const files = await vscode.window.showOpenDialog({
    title: 'Inventory snapshot (libvirt-hostdev-inventory/1 JSON)',
    canSelectMany: false,
    filters: { 'Inventory snapshot': ['json'] },
  });
  if (!files?.[0]) return false;
  await config.setInventoryFile(files[0].fsPath);
  return true;
}

async function addHost(): Promise<HostConfig | undefined> {
  const target = await vscode.window.showInputBox({
    title: 'Add host (saved in your user settings)',
    prompt: "`local`, `[user@]host[:port]` or an alias from ~/.ssh/config",
    placeHolder: 'root@kvm1.example.org',
    ignoreFocusOut: true,
    validateInput: (v) => (/^\S+$/.test(v.trim()) ? undefined : 'one word, no spaces'),
  });
  if (!target) return undefined;
  const name = await vscode.window.showInputBox({
    title: 'Name shown for this host',
    value: target.trim().replace(/^.*@/, '').replace(/:\d+$/, ''),
    ignoreFocusOut: true,
  });
  if (!name) return undefined;
  const connect = await vscode.window.showInputBox({ title: 'libvirt URI', value: 'qemu:///system', ignoreFocusOut: true });
  if (connect === undefined) return undefined;
  const host: HostConfig = { name: name.trim(), target: target.trim(), ...(connect.trim() ? { connect: connect.trim() } : {}) };
  await config.addUserHost(host);
  return host;
}

/**
 * `hostName` (optional) skips the pick: scripts and the end-to-end suite call
 * `libvirtHostdev.selectHost` with the name of a configured host. Returns the chosen name.
 */
export async function selectHost(hostName?: unknown): Promise<string | undefined> {
  const hosts = config.hosts();
  if (typeof hostName === 'string' && hostName) {
    if (!hosts.some((h) => h.name === hostName)) {
      void vscode.window.showErrorMessage(`No host named '${hostName}' in libvirtHostdev.hosts.`);
      return undefined;
    }
    await config.setActiveHost(hostName);
    return hostName;
  }
  const active = config.activeHost();
  const items: Choice[] = hosts.map((h) => ({
    host: h,
    label: `${h.name === active ? '$(check) ' : ''}${h.name}`,
    description: h.target,
    detail: h.connect ?? 'qemu:///system',
  }));
  if (hosts.length === 0 && virshOnPath()) {
    items.push({ host: { name: 'local', target: 'local' }, label: 'local', description: 'virsh on this machine' });
  }
  items.push(
    { action: 'file', label: '$(file) Use inventory file…', description: 'an offline snapshot' },
    { action: 'add', label: '$(add) Add host…', description: 'saved in your user settings' },
  );
  const choice = await vscode.window.showQuickPick(items, { title: 'libvirt: Select Host', placeHolder: 'Host whose VF inventory is used' });
  if (!choice) return undefined;
  if ('action' in choice) {
    if (choice.action === 'file') return (await chooseInventoryFile()) ? 'file' : undefined;
    const added = await addHost();
    if (!added) return undefined;
    await config.setActiveHost(added.name);
    return added.name;
  }
  if (!hosts.some((h) => h.name === choice.host.name)) await config.addUserHost(choice.host);
  await config.setActiveHost(choice.host.name);
  return choice.host.name;
}
