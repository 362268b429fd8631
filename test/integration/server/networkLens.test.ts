// The network CodeLens through the real server and REAL libvirt: a <network> document open in the
// server, the host the test user's qemu:///session over the loopback sshd. The lenses carry the
// server's executeCommand (as VS Code forwards them too): Define runs virsh net-define on the host
// (after a second yes for a document with errors), the inventory is read again, and the lenses then
// offer what is left (Start, Autostart). The network is named uniquely and undefined afterwards.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeLens } from 'vscode-languageserver/node';
import { ServerCommands } from '../../../shared/commands';
import { withTestServer, type TestClient } from '../../server/harness';
import { isolateHome, sshEnv, vmVirsh } from '../inventory/support';

const NET = 'lhd-lens-net';
const uri = `file:///work/${NET}.xml`;
const TEXT = `<network>\n  <name>${NET}</name>\n  <forward mode='hostdev' managed='yes'/>\n</network>\n`;

function cleanup(): void {
  vmVirsh(['net-destroy', '--network', NET]);
  vmVirsh(['net-undefine', '--network', NET]);
}

before(() => {
  isolateHome('lhd-lens-net-home-', true);
  cleanup();
});
after(cleanup);

const settings = () => {
  const env = sshEnv();
  return {
    hosts: [{ name: 'loopback', target: env.target, identityFile: env.key, connect: 'qemu:///session' }],
    activeHost: 'loopback',
    commandTimeoutSeconds: 120,
  };
};

async function lensTitles(client: TestClient): Promise<{ titles: string[]; lenses: CodeLens[] }> {
  const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
  return { titles: lenses.map((l) => l.command!.title), lenses };
}

test('network document: Define (after "Define anyway"), then Start and Autostart, each through executeCommand on the host', async () => {
  const questions: string[] = [];
  await withTestServer(
    {
      initializationOptions: { settings: settings(), knownHostsFile: sshEnv().knownHosts },
      answerMessage: (m) => {
        questions.push(m.message);
        return m.actions?.find((a) => a.title === 'Define anyway') ?? null;
      },
    },
    async (client) => {
      client.open(uri, TEXT);
      await client.statuses.wait('state ok', (s) => s.state === 'ok');
      let { titles, lenses } = await lensTitles(client);
      assert.deepEqual(titles, [`Define '${NET}' on 'loopback'`]);
      assert.equal(lenses[0].command!.command, ServerCommands.network);
      const define = await client.request<{ ok: boolean; message: string; commandLine: string }>('workspace/executeCommand', {
        command: lenses[0].command!.command,
        arguments: lenses[0].command!.arguments,
      });
      assert.equal(define.ok, true, define.message);
      assert.match(define.commandLine, /^virsh -c qemu:\/\/\/session net-define --file \/dev\/stdin$/);
      // the empty pool is an error here (no VF to hand out): the server asked first
      assert.match(questions[0] ?? '', /^The network has 1 error\(s\): The pool has no <pf> and no <address>/);
      assert.equal(vmVirsh(['net-info', '--network', NET]).code, 0, 'not defined on the host');

      ({ titles, lenses } = await lensTitles(client));
      assert.deepEqual(titles, [`Redefine '${NET}' on 'loopback'`, `Start '${NET}'`, `Autostart '${NET}'`]);
      for (const title of [`Start '${NET}'`, `Autostart '${NET}'`]) {
        const lens = lenses.find((l) => l.command!.title === title)!;
        const r = await client.request<{ ok: boolean; message: string }>('workspace/executeCommand', {
          command: lens.command!.command,
          arguments: lens.command!.arguments,
        });
        assert.equal(r.ok, true, r.message);
      }
      const info = vmVirsh(['net-info', '--network', NET]).stdout;
      assert.match(info, /Active:\s+yes/);
      assert.match(info, /Autostart:\s+yes/);
      ({ titles } = await lensTitles(client));
      assert.deepEqual(titles, [`Redefine '${NET}' on 'loopback'`, `'${NET}' is active and autostarts on 'loopback'`]);
    },
  );
});

test('an untrusted workspace: the network lens command is refused, nothing is defined', async () => {
  await withTestServer({ initializationOptions: { settings: settings(), trusted: false, hostsFromUser: true } }, async (client) => {
    client.open(uri, TEXT.replace(NET, `${NET}-x`));
    const r = await client.request<{ ok: boolean; message: string }>('workspace/executeCommand', {
      command: ServerCommands.network,
      arguments: [{ uri, operation: 'start' }],
    });
    assert.equal(r.ok, false);
    assert.match(r.message, /not trusted/);
  });
});
