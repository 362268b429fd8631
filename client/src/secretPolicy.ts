// When a secret remembered in SecretStorage may answer the server's AskSecret request.
// No vscode import: unit-tested in plain node.
import type { AskSecretParams } from '../../shared/protocol';

/**
 * May a stored secret answer this prompt? With `retry` the server says whether the last answer was
 * wrong; without it (passwords: wrong only when the whole login fails) a stored secret answers once
 * per session, so a wrong stored password leads to the prompt instead of failing on every reconnect.
 */
export function storedSecretUsable(p: Pick<AskSecretParams, 'retry'>, alreadyAnsweredFromStorage: boolean): boolean {
  return p.retry === undefined ? !alreadyAnsweredFromStorage : !p.retry;
}
