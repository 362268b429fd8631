// "Add host" / "Edit host": a four-step flow with a step counter (target, identity file, name, libvirt
// URI), the connection tested before anything is saved, and on failure the ways out (pick a key, edit
// the host, retry, show the output). Hosts go to the user's settings only.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { quotedName } from '../../shared/quotedName';
import { notify, withNotificationProgress } from './notify';
import { SshHostAliasesRequest, TestHostRequest, type TestHostResult } from '../../shared/protocol';
import { DEFAULT_LIBVIRT_URI, type HostConfig } from '../../shared/settings';
import * as config from './config';
import type { Ctx } from './ctx';

const TOTAL_STEPS = 4;
const DEFAULT_IDENTITY = 'ssh-agent, ~/.ssh/config, ~/.ssh/id_*';

interface Pick extends vscode.QuickPickItem {
  value: string;
}

/** A quick pick whose typed text is offered as its own item ("Use 'text'"); undefined when dismissed. */
function pickOrType(
  title: string,
  step: number,
  placeholder: string,
  items: Pick[],
  typed: (text: string) => Pick | null,
  value = '',
  /** the item focused first (the current choice when editing), the filter left empty so every item shows */
  focused?: string,
): Promise<string | undefined> {
  const pick = asStep(vscode.window.createQuickPick<Pick>(), title, step);
  pick.placeholder = placeholder;
  pick.matchOnDescription = true;
  pick.value = value;
  const refresh = (): void => {
    const own = pick.value.trim() ? typed(pick.value.trim()) : null;
    pick.items = own && !items.some((i) => i.value === own.value) ? [own, ...items] : items;
  };
  refresh();
  const first = focused === undefined ? undefined : pick.items.find((i) => i.value === focused);
  if (first) pick.activeItems = [first];
  pick.onDidChangeValue(refresh);
  pick.show();
  return new Promise<string | undefined>((resolve) => {
    // Enter right after typing may come before the list caught up: the typed text still counts
    pick.onDidAccept(() =>
      resolve((pick.selectedItems[0] ?? pick.activeItems[0] ?? (pick.value.trim() ? typed(pick.value.trim()) : null))?.value),
    );
    pick.onDidHide(() => resolve(undefined));
  }).finally(() => pick.dispose());
}

function input(
  title: string,
  step: number,
  value: string,
  prompt: string,
  validate?: (v: string) => string | undefined,
): Promise<string | undefined> {
  const box = asStep(vscode.window.createInputBox(), title, step);
  box.value = value;
  box.prompt = prompt;
  box.show();
  return new Promise<string | undefined>((resolve) => {
    box.onDidChangeValue((v) => {
      box.validationMessage = validate?.(v);
    });
    box.onDidAccept(() => {
      const problem = validate?.(box.value);
      if (problem) box.validationMessage = problem;
      else resolve(box.value.trim());
    });
    box.onDidHide(() => resolve(undefined));
  }).finally(() => box.dispose());
}

/** One step of the Add host flow: its title and counter, kept open when focus moves (to pick a key file). */
function asStep<T extends vscode.QuickInput>(widget: T, title: string, step: number): T {
  widget.title = title;
  widget.step = step;
  widget.totalSteps = TOTAL_STEPS;
  widget.ignoreFocusOut = true;
  return widget;
}

/** Private keys in ~/.ssh that ssh would offer: id_* without .pub, and any file with a .pub next to it. */
function keyFiles(): string[] {
  const dir = path.join(os.homedir(), '.ssh');
  try {
    const names = fs.readdirSync(dir);
    return names
      .filter((n) => !n.endsWith('.pub') && (n.startsWith('id_') || names.includes(`${n}.pub`)))
      .map((n) => path.join(dir, n))
      .filter((f) => fs.statSync(f).isFile())
      .slice(0, 50);
  } catch {
    return [];
  }
}

const oneWord = (v: string): string | undefined => (/^\S+$/.test(v.trim()) ? undefined : 'One word, no spaces');

async function askTarget(ctx: Ctx, title: string, current: string): Promise<string | undefined> {
  const aliases = await (await ctx.languageClient()).sendRequest(SshHostAliasesRequest, {}).catch(() => [] as string[]);
  const items: Pick[] = [
    ...aliases.map((a) => ({ label: a, description: 'from ~/.ssh/config', value: a })),
    { label: 'local', description: 'virsh on this machine', value: 'local' },
  ];
  return pickOrType(
    title,
    1,
    'An alias from ~/.ssh/config, or type [user@]host[:port]',
    items,
    (text) => (oneWord(text) ? null : { label: text, description: 'type a target: [user@]host[:port]', value: text }),
    current,
  );
}

async function askIdentity(title: string, current: string | undefined): Promise<string | null | undefined> {
  const browse = '\u0000browse';
  // editing: the host's key first and focused, beside the other choices (a prefilled filter would hide them)
  const found = keyFiles().filter((f) => f !== current);
  const items: Pick[] = [
    ...(current ? [{ label: path.basename(current), description: `${current} (this host's key now)`, value: current }] : []),
    { label: 'Default', description: DEFAULT_IDENTITY, value: '' },
    ...found.map((f) => ({ label: path.basename(f), description: f, value: f })),
    { label: '$(folder-opened) Browse…', description: 'another private key file', value: browse },
  ];
  const chosen = await pickOrType(
    title,
    2,
    'Identity file (private key) for this host',
    items,
    (text) => (text.startsWith('/') || text.startsWith('~') ? { label: text, description: 'this key file', value: text } : null),
    '',
    current,
  );
  if (chosen === undefined) return undefined;
  if (chosen !== browse) return chosen || null;
  const files = await vscode.window.showOpenDialog({
    title: 'Private key file',
    canSelectMany: false,
    defaultUri: vscode.Uri.file(path.join(os.homedir(), '.ssh')),
  });
  return files?.[0]?.fsPath ?? undefined;
}

/**
 * Asks for a host (prefilled from `start` when editing), tests it and saves it in the user settings
 * (replacing `replaces`). Returns the saved host, or undefined when the user gave up.
 */
export async function addOrEditHost(ctx: Ctx, start?: HostConfig, replaces?: string): Promise<HostConfig | undefined> {
  const title = start ? `Edit host ${quotedName(start.name)}` : 'Add host (saved in your user settings)';
  let host: HostConfig | undefined = start;
  let step = 1;
  for (;;) {
    if (step <= 1) {
      const target = await askTarget(ctx, title, host?.target ?? '');
      if (!target) return undefined;
      host = { ...(host ?? { name: '' }), target };
    }
    if (step <= 2 && host!.target !== 'local') {
      const identity = await askIdentity(title, host!.identityFile);
      if (identity === undefined) return undefined;
      const { identityFile: _old, ...rest } = host!;
      host = identity ? { ...rest, identityFile: identity } : rest;
    }
    if (step <= 3) {
      const suggested = host!.name || host!.target.replace(/^.*@/, '').replace(/:\d+$/, '');
      const name = await input(title, 3, suggested, 'Name shown for this host', (v) => (v.trim() ? undefined : 'A name is needed'));
      if (!name) return undefined;
      host = { ...host!, name };
    }
    if (step <= 4) {
      const connect = await input(
        title,
        4,
        host!.connect ?? DEFAULT_LIBVIRT_URI,
        'libvirt URI on that host (qemu:///system, qemu:///session, …)',
        oneWord,
      );
      if (connect === undefined) return undefined;
      host = { ...host!, connect };
    }
    const result = await withNotificationProgress(`Connecting to ${host!.target}…`, async () =>
      (await ctx.languageClient())
        .sendRequest(TestHostRequest, { host: host! })
        .catch((e: unknown): TestHostResult => ({ ok: false, message: String(e) })),
    );
    if (result.ok) {
      ctx.log.info(`host ${quotedName(host!.name)} (${host!.target}) works: ${result.message}; saved in the user settings`);
      await config.addUserHost(host!, replaces);
      void notify('information', `Connected to ${quotedName(host!.name)}: ${result.message}.`);
      return host;
    }
    ctx.log.error(`connection test of ${quotedName(host!.name)} (${host!.target}) failed: ${result.message}`);
    ctx.lastFailure = result.message;
    // another key is the way out of a refused login only (not of an unreachable host, or a host key not accepted)
    const actions =
      result.kind === 'auth' && host!.target !== 'local'
        ? ['Pick a Key', 'Edit Host', 'Retry', 'Show Output']
        : ['Edit Host', 'Retry', 'Show Output'];
    const choice = await notify(
      'error',
      `${result.message} — connecting to ${quotedName(host!.name)} failed; nothing was saved.`,
      ...actions,
    );
    if (choice === 'Pick a Key') step = 2;
    else if (choice === 'Edit Host') step = 1;
    else if (choice === 'Retry') step = 5;
    else {
      if (choice === 'Show Output') ctx.log.show();
      return undefined;
    }
  }
}
