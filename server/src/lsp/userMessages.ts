// Every message the server shows the user goes through here (the architecture test holds the other
// server files to it). VS Code's client shows window/showMessage and window/showMessageRequest as
// notifications, where `[label](command:…)` becomes a link whose click runs the command; the messages
// carry guest and network names, libvirt's answers and the contents of the project's config file, so
// each one passes through inertLinks.
import {
  MessageType,
  ShowMessageNotification,
  ShowMessageRequest,
  type Connection,
  type MessageActionItem,
} from 'vscode-languageserver/node';
import { inertLinks } from '../../../shared/inertLinks';

export type Level = 'information' | 'warning' | 'error';

const TYPES: Record<Level, MessageType> = {
  information: MessageType.Info,
  warning: MessageType.Warning,
  error: MessageType.Error,
};

/**
 * A message that asks nothing (window/showMessage). Never a request without actions: editors answer a
 * request with a question the user must dismiss (Neovim 0.7: inputlist(), which waits for a key).
 * A client that is gone loses it silently.
 */
export function tell(connection: Connection, level: Level, message: string): void {
  void connection
    .sendNotification(ShowMessageNotification.type, { type: TYPES[level], message: inertLinks(message) })
    .catch(() => undefined);
}

/** A question with `actions` to choose from (window/showMessageRequest); resolves to the one chosen, or null. */
export async function ask<T extends MessageActionItem>(
  connection: Connection,
  level: Level,
  message: string,
  ...actions: T[]
): Promise<T | null> {
  const answer = await connection.sendRequest(ShowMessageRequest.type, { type: TYPES[level], message: inertLinks(message), actions });
  return (answer as T | null) ?? null;
}
