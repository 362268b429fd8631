// Helpers of the e2e suite (run inside the VS Code extension host). Everything waits by polling a
// condition (waitFor), never by sleeping a fixed time.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../client/src/extension';
import type { DeviceCommandArgs } from '../../../shared/commands';
import type { InventoryStatus } from '../../../shared/protocol';
import type { TestAnswers } from '../../../client/src/testAnswers';

export const EXTENSION_ID = 'libvirt-hostdev.libvirt-hostdev';
/** set by the offline launcher; empty when no loopback host was available */
export const HOST = process.env.LIBVIRT_HOSTDEV_E2E_HOST ?? '';
export const UNREACHABLE_HOST = process.env.LIBVIRT_HOSTDEV_E2E_UNREACHABLE_HOST ?? '';
export const PASSPHRASE_HOST = process.env.LIBVIRT_HOSTDEV_E2E_PASSPHRASE_HOST ?? '';
export const GUEST = process.env.LIBVIRT_HOSTDEV_E2E_GUEST ?? 'lhd-e2e-db01';
export const GUEST_USER = process.env.LIBVIRT_HOSTDEV_E2E_GUEST_USER ?? 'lhd-e2e-web01';
export const GUEST_RUNNING = process.env.LIBVIRT_HOSTDEV_E2E_GUEST_RUNNING ?? 'lhd-e2e-app01';

const POLL_MS = 100;

/** Polls `fn` until it returns something other than undefined/false/null; returns that. */
export async function waitFor<T>(what: string, fn: () => T | PromiseLike<T>, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      last = await fn();
      if (last !== undefined && last !== null && last !== false) return last as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${describe(last)}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Polls `get` until `ok(value)`; returns the value. On timeout the error shows the last value seen. */
export async function waitUntil<T>(what: string, get: () => T | PromiseLike<T>, ok: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  let last: T | undefined;
  let seen = false;
  try {
    return await waitFor(
      what,
      async () => {
        last = await get();
        seen = true;
        return ok(last) ? { value: last } : undefined;
      },
      timeoutMs,
    ).then((r) => r.value);
  } catch (e) {
    throw new Error(`${(e as Error).message.replace(/; last: .*$/s, '')}; last value: ${seen ? describe(last) : '(none)'}`);
  }
}

function describe(x: unknown): string {
  if (x instanceof Error) return x.message;
  try {
    return JSON.stringify(x)?.slice(0, 400) ?? String(x);
  } catch {
    return String(x);
  }
}

export async function activateExtension(): Promise<{
  api: ExtensionApi;
  answers: TestAnswers;
  testing: NonNullable<ExtensionApi['testing']>;
}> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  const api = ext.isActive ? ext.exports : await ext.activate();
  if (!api.testing) throw new Error('the extension did not expose its test hooks (not in ExtensionMode.Test?)');
  return { api, answers: api.testing.answers, testing: api.testing };
}

export interface StatusSnapshot {
  text: string;
  tooltip: string;
  serverRunning: boolean;
  status: InventoryStatus | null;
}

export function getStatus(): Thenable<StatusSnapshot> {
  return vscode.commands.executeCommand<StatusSnapshot>('libvirtHostdev.getStatus');
}

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder open');
  return vscode.Uri.joinPath(folder.uri, name);
}

export async function openFixture(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(name));
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  if (document.languageId !== 'xml') await vscode.languages.setTextDocumentLanguage(document, 'xml');
  return editor;
}

/** Offset of the first occurrence of `marker` (plus `delta`) as a Position. */
export function positionOf(document: vscode.TextDocument, marker: string, delta = 0): vscode.Position {
  const offset = document.getText().indexOf(marker);
  if (offset < 0) throw new Error(`'${marker}' not in ${document.uri.path}`);
  return document.positionAt(offset + delta);
}

export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'libvirt-hostdev');
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/**
 * Asks the offline launcher for a screenshot and waits until it is taken. Under launcher 1
 * (@vscode/test-electron) there is no launcher listening, so nothing is asked.
 */
export async function screenshot(name: string): Promise<void> {
  const dir = process.env.LIBVIRT_HOSTDEV_E2E_SHOTS;
  if (!dir) return;
  const done = path.join(dir, `${name}.done`);
  console.log(`[screenshot:${name}]`);
  await waitFor(`the launcher's screenshot ${name}`, () => fs.existsSync(done), 30_000);
}

/** One step a user takes with the keyboard or the mouse, performed by the offline launcher in the real
 *  browser (`click` and `waitFor` take a playwright selector). */
export type UserStep = { type: string } | { press: string } | { waitFor: string } | { click: string };

let userSteps = 0;

/**
 * Has the offline launcher type, press keys and click in the workbench, as a user would (quick picks,
 * input boxes, dialogs and the trust editor cannot be driven from the extension host). Waits until it has done so.
 */
export async function asUser(steps: UserStep[]): Promise<void> {
  const dir = process.env.LIBVIRT_HOSTDEV_E2E_SHOTS;
  if (!dir) throw new Error('keyboard steps need the offline launcher (npm run test:e2e)');
  const id = `ui-${++userSteps}`;
  console.log(`[ui:${id}] ${JSON.stringify(steps)}`);
  await waitFor(`the launcher's keyboard steps ${id}`, () => fs.existsSync(path.join(dir, `${id}.done`)), 60_000);
  const failed = path.join(dir, `${id}.failed`);
  if (fs.existsSync(failed)) throw new Error(`keyboard steps ${id}: ${fs.readFileSync(failed, 'utf8')}`);
}

/** `virsh dumpxml GUEST --inactive` as vmtest on qemu:///session: what libvirt really has. */
export function dumpxmlInactive(guest: string): string {
  const runtime = process.env.LIBVIRT_HOSTDEV_TEST_VMTEST_RUNTIME_DIR ?? '';
  const user = process.env.LIBVIRT_HOSTDEV_TEST_SSH_USER ?? 'vmtest';
  return execFileSync(
    'su',
    ['-', user, '-c', `export XDG_RUNTIME_DIR='${runtime}'; virsh -c qemu:///session dumpxml '${guest}' --inactive`],
    { encoding: 'utf8' },
  );
}

/** `virsh -c qemu:///session ARGS` as the loopback host's user (fixed, shell-safe arguments only); null when it fails. */
export function sessionVirsh(args: string): string | null {
  const runtime = process.env.LIBVIRT_HOSTDEV_TEST_VMTEST_RUNTIME_DIR ?? '';
  const user = process.env.LIBVIRT_HOSTDEV_TEST_SSH_USER ?? 'vmtest';
  try {
    return execFileSync('su', ['-', user, '-c', `export XDG_RUNTIME_DIR='${runtime}'; virsh -c qemu:///session ${args}`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch {
    return null;
  }
}

export function requireHost(): void {
  if (!HOST) throw new Error('no loopback host: run test/setup/env.sh (the offline launcher does) so the workspace points at it');
}

export async function lensesFor(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
}

/** The lens of the device that contains `marker`, whose command is `command` (and that names `guest`, when given). */
export async function lensAt(
  editor: vscode.TextEditor,
  marker: string,
  command: string,
  guest?: string,
): Promise<vscode.CodeLens & { command: vscode.Command }> {
  const offset = editor.document.offsetAt(positionOf(editor.document, marker));
  return waitFor(
    `a ${command} lens${guest ? ` naming ${guest}` : ''} on the device with ${marker}`,
    async () =>
      (await lensesFor(editor.document.uri)).find((l) => {
        const args = l.command?.arguments?.[0] as DeviceCommandArgs | undefined;
        return (
          l.command?.command === command &&
          !!args &&
          (guest === undefined || args.guest === guest) &&
          args.deviceSpan.start <= offset &&
          offset <= args.deviceSpan.end
        );
      }) as (vscode.CodeLens & { command: vscode.Command }) | undefined,
    60_000,
  );
}
