// A network XML document in VS Code: the CodeLens above <network> runs virsh net-define on the
// loopback host's qemu:///session through the language server (executeCommand, as every client
// does), and once the inventory is read again the lenses offer what is left (Start, Autostart).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, openFixture, requireHost, sessionVirsh, waitFor } from './helpers';

const NET = 'lhd-e2e-net';

async function lensTitles(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
}

suite('network XML', () => {
  suiteSetup(() => {
    requireHost();
    sessionVirsh(`net-undefine --network ${NET}`);
  });
  suiteTeardown(() => sessionVirsh(`net-undefine --network ${NET}`));

  test('the Define lens defines the network on the host; then the lenses offer Start and Autostart', async () => {
    await activateExtension();
    const editor = await openFixture(`${NET}.xml`);
    assert.equal(sessionVirsh(`net-info --network ${NET}`), null, 'not defined before');
    const define = await waitFor(
      'the Define lens',
      async () => (await lensTitles(editor.document.uri)).find((l) => l.command?.title.startsWith(`Define '${NET}'`)),
      60_000,
    );
    assert.equal(define.command!.command, 'libvirtHostdev.server.network');
    const result = await vscode.commands.executeCommand<{ ok: boolean; message: string; commandLine: string }>(
      define.command!.command,
      ...(define.command!.arguments ?? []),
    );
    assert.ok(result?.ok, `net-define: ${JSON.stringify(result)}`);
    assert.match(result.commandLine, /^virsh -c qemu:\/\/\/session net-define --file \/dev\/stdin$/);
    assert.match(sessionVirsh(`net-info --network ${NET}`) ?? '', /Active:\s+no/);
    const titles = await waitFor(
      'Start and Autostart lenses',
      async () => {
        const t = (await lensTitles(editor.document.uri)).map((l) => l.command?.title ?? '');
        return t.includes(`Start '${NET}'`) ? t : undefined;
      },
      60_000,
    );
    assert.deepEqual(titles.slice(1), [`Start '${NET}'`, `Autostart '${NET}'`]);
    assert.match(titles[0], new RegExp(`^Redefine '${NET}' on `));
  });
});
