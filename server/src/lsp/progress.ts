// Long host reads as standard $/progress, which editors without our client show too (Neovim's
// fidget, Helix, Zed).
import type { Connection } from 'vscode-languageserver/node';

/** Shows `what` while `work` runs; nothing when the client has no window.workDoneProgress. */
export async function progressWhile(connection: Connection, what: string, work: Promise<unknown>): Promise<void> {
  const progress = await connection.window.createWorkDoneProgress().catch(() => null);
  if (!progress) return;
  // the connection may close while the work runs (a shutdown), and a send on it then throws at once
  try {
    progress.begin('libvirt-hostdev', undefined, what);
    await work.catch(() => undefined);
    progress.done();
  } catch {
    // closed: nobody is left to show the progress to
  }
}
