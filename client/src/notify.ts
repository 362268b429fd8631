// Every message the extension shows, as a notification or a modal dialog, goes through here (the
// architecture test holds the other client files to it). VS Code makes `[label](command:…)`,
// `https:` and `file:` targets in a notification a link, and a click on a command link runs the
// command. Messages carry guest and network names, libvirt's answers, host names and file paths;
// passing every one through inertLinks keeps a message that gains such text later from forgetting to.
import * as vscode from 'vscode';
import { MessageType, ShowMessageNotification, type LanguageClient } from 'vscode-languageclient/node';
import { Commands } from '../../shared/commands';
import { inertLinks } from '../../shared/inertLinks';

export type Level = 'information' | 'warning' | 'error';

type Show<T> = (message: string, options: vscode.MessageOptions, ...items: T[]) => Thenable<T | undefined>;

/** A notification with optional buttons; resolves to the button clicked (undefined: dismissed). */
export function notify<T extends string | vscode.MessageItem>(level: Level, message: string, ...items: T[]): Thenable<T | undefined> {
  return showerOf<T>(level)(inertLinks(message), {}, ...items);
}

/** A notification with a progress bar while `task` runs; its title carries names from hosts, so it goes through inertLinks too. */
export function withNotificationProgress<R>(title: string, task: () => Thenable<R>): Thenable<R> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: inertLinks(title) }, task);
}

/**
 * A modal dialog: `detail` in smaller text below the message; the first item is the default (Enter),
 * and VS Code adds Cancel, which resolves to undefined.
 */
export function askModal<T extends string | vscode.MessageItem>(
  level: Level,
  message: string,
  detail: string | undefined,
  ...items: T[]
): Thenable<T | undefined> {
  const options: vscode.MessageOptions = detail === undefined ? { modal: true } : { modal: true, detail: inertLinks(detail) };
  return showerOf<T>(level)(inertLinks(message), options, ...items);
}

/** VS Code's function for `level` (its overloads take either strings or items; ours take both). */
function showerOf<T>(level: Level): Show<T> {
  const window = vscode.window;
  const show =
    level === 'error' ? window.showErrorMessage : level === 'warning' ? window.showWarningMessage : window.showInformationMessage;
  return show as Show<T>;
}

/**
 * What a command that needs the host's inventory says before one has been read: `command`, then why it
 * needs one when that is not plain, with a Select Host button (not awaited: the command ends now; the
 * button stays usable).
 */
export function noInventoryYet(command: string, why?: string): void {
  const select = 'Select Host';
  void notify('warning', `${command}: no inventory yet${why ? `, ${why}` : ''}. Select a host first.`, select).then((choice) =>
    choice === select ? vscode.commands.executeCommand(Commands.selectHost) : undefined,
  );
}

/**
 * Shows the language server's messages (window/showMessage) in place of the client's own handler, which
 * shows no button: an error has *Show Output*, since a refusal (libvirt's, a define's) names the reason and
 * the log has the virsh command and the rest of what the host said.
 */
export function showServerMessages(client: LanguageClient, log: vscode.LogOutputChannel): vscode.Disposable {
  return client.onNotification(ShowMessageNotification.type, ({ type, message }) => {
    if (type === MessageType.Error)
      void notify('error', message, SHOW_OUTPUT).then((choice) => (choice === SHOW_OUTPUT ? log.show(true) : undefined));
    else void notify(type === MessageType.Warning ? 'warning' : 'information', message);
  });
}

const SHOW_OUTPUT = 'Show Output';
