// Select Host: a quick pick of the configured hosts (their edit and remove buttons for the user's own), "local" when virsh is
// on PATH, "Use inventory file…" and "Add host…". It only writes settings; the server notices the
// change (workspace/didChangeConfiguration) and loads the new inventory.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { addOrEditHost } from './addHost';
import { hostChoices, type HostChoice } from './hostChoices';
import * as config from './config';
import { quotedName } from '../../shared/quotedName';
import { notify, askModal } from './notify';
import type { Ctx } from './ctx';

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

type Choice = vscode.QuickPickItem & HostChoice;

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

/**
 * `hostName` (optional) skips the pick: scripts and the end-to-end suite call
 * `libvirtHostdev.selectHost` with the name of a configured host. Returns the chosen name.
 */
export async function selectHost(ctx: Ctx, hostName?: unknown): Promise<string | undefined> {
  const hosts = config.hosts();
  if (typeof hostName === 'string' && hostName) {
    if (!hosts.some((h) => h.name === hostName)) {
      void notify('error', `No host named ${quotedName(hostName)} in libvirtHostdev.hosts.`);
      return undefined;
    }
    await config.setActiveHost(hostName);
    return hostName;
  }
  const active = config.activeHost();
  const own = new Set(config.userHosts().map((h) => h.name));
  const edit: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('edit'), tooltip: 'Edit host' };
  const remove: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Remove host' };
  const items: Choice[] = hostChoices(hosts, active, own, virshOnPath()).map((c) =>
    'host' in c ? { ...c, buttons: c.editable ? [edit, remove] : [] } : c,
  );
  const pick = vscode.window.createQuickPick<Choice>();
  pick.title = 'libvirt: Select Host';
  pick.placeholder = 'Host whose VF inventory is used';
  pick.items = items;
  // Enter keeps the active host (VS Code would otherwise focus the first row, another host)
  const current = items.find((c) => 'host' in c && c.host.name === active);
  if (current) pick.activeItems = [current];
  const answer = await new Promise<{ choice: Choice; button?: vscode.QuickInputButton } | undefined>((resolve) => {
    pick.onDidAccept(() => resolve(pick.selectedItems[0] ? { choice: pick.selectedItems[0] } : undefined));
    pick.onDidTriggerItemButton((e) => resolve({ choice: e.item, button: e.button }));
    pick.onDidHide(() => resolve(undefined));
    pick.show();
  }).finally(() => pick.dispose());
  if (!answer) return undefined;
  const { choice, button } = answer;
  if ('host' in choice && button === remove) {
    const yes = 'Remove';
    if ((await askModal('warning', `Remove host ${quotedName(choice.host.name)} from your user settings?`, undefined, yes)) !== yes)
      return undefined;
    await config.removeUserHost(choice.host.name);
    ctx.log.info(`host ${quotedName(choice.host.name)} removed from the user settings`);
    return undefined;
  }
  if ('host' in choice && button === edit) {
    const edited = await addOrEditHost(ctx, choice.host, choice.host.name);
    return edited?.name;
  }
  if ('action' in choice) {
    if (choice.action === 'file') return (await chooseInventoryFile()) ? 'file' : undefined;
    const added = await addOrEditHost(ctx);
    if (!added) return undefined;
    await config.setActiveHost(added.name);
    return added.name;
  }
  if (!hosts.some((h) => h.name === choice.host.name)) await config.addUserHost(choice.host);
  await config.setActiveHost(choice.host.name);
  return choice.host.name;
}
