// The client's log (window/logMessage: VS Code's Output channel, Neovim's :LspLog): everything the
// server and its host layer say goes through one, which falls silent once the server has stopped.
// Work still running at shutdown (a host read, a ProxyCommand's last stderr line when it is killed)
// may end when the connection is closed, and a send on a closed connection throws at once.
import type { Connection } from 'vscode-languageserver/node';
import type { LeveledLog } from '../inventory/hostProvider';

export function clientLog(connection: Connection, stopped: () => boolean): LeveledLog {
  return {
    info: (message) => {
      if (!stopped()) connection.console.info(message);
    },
    warn: (message) => {
      if (!stopped()) connection.console.warn(message);
    },
    error: (message) => {
      if (!stopped()) connection.console.error(message);
    },
  };
}
