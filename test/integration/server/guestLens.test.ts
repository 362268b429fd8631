// The Define lens of a <domain> document through the real server and REAL libvirt: the test user's
// qemu:///session over the loopback sshd. The lens runs `virsh define --validate` on the host with the
// document (a second yes for errors, and for host devices the host's definition holds that the document
// lacks); libvirt's schema refusal comes back in its own words; nothing is left in the host's /tmp.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeLens } from 'vscode-languageserver/node';
import { ServerCommands } from '../../../shared/commands';
import { withTestServer, type TestClient } from '../../server/harness';
import {
  defineGuest,
  hostdevInterface,
  inactiveXml,
  isolateHome,
  remoteTempFiles,
  removeGuest,
  sshEnv,
  startFreshGuest,
  undefineGuest,
  vmVirsh,
} from '../inventory/support';

const GUEST = 'lhd-lens-guest';
/** a guest without devices, started: QEMU runs it */
const RUNNING = 'lhd-lens-running';
const uri = `file:///work/${GUEST}.xml`;
const VF = hostdevInterface(0x0b, 0x10, 2, '52:54:00:4c:00:01');

before(() => {
  isolateHome('lhd-lens-guest-home-', true);
  undefineGuest(GUEST);
  defineGuest(GUEST, VF);
  startFreshGuest(RUNNING);
});
after(() => {
  undefineGuest(GUEST);
  removeGuest(RUNNING);
});

const settings = () => {
  const env = sshEnv();
  return {
    hosts: [{ name: 'loopback', target: env.target, identityFile: env.key, connect: 'qemu:///session' }],
    activeHost: 'loopback',
    commandTimeoutSeconds: 120,
  };
};

interface Run {
  result: { ok: boolean; message: string; commandLine?: string };
  questions: string[];
  /** the server's log warnings (a failed change is one) */
  warnings: string[];
}

/** Opens `text`, waits for the host, runs the document's Define lens answering each question from `answers`. */
async function runDefineLens(text: string, answers: Record<string, string>, docUri = uri): Promise<Run & { title: string }> {
  const questions: string[] = [];
  let outcome: (Run & { title: string }) | undefined;
  await withTestServer(
    {
      initializationOptions: { settings: settings(), knownHostsFile: sshEnv().knownHosts },
      answerMessage: (m) => {
        questions.push(m.message);
        const pick = Object.entries(answers).find(([start]) => m.message.startsWith(start))?.[1];
        return m.actions?.find((a) => a.title === pick) ?? null;
      },
    },
    async (client: TestClient) => {
      client.open(docUri, text);
      await client.statuses.wait('state ok', (s) => s.state === 'ok');
      const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: docUri } });
      const lens = lenses.find((l) => l.command!.command === ServerCommands.defineGuest)!;
      assert.ok(lens, `a Define lens among ${JSON.stringify(lenses.map((l) => l.command!.title))}`);
      const result = await client.request<Run['result']>('workspace/executeCommand', {
        command: lens.command!.command,
        arguments: lens.command!.arguments,
      });
      outcome = { result, questions, title: lens.command!.title, warnings: [...client.logWarnings] };
    },
  );
  return outcome!;
}

const ERRORS = 'The domain has';
const DROPS = `The definition of '${GUEST}' on 'loopback' holds`;

test('the guest as the host has it, with a <title> added: Redefine runs virsh define --validate and the host keeps the title', async () => {
  const tempBefore = remoteTempFiles();
  const text = inactiveXml(GUEST).replace('</name>', '</name>\n  <title>edited in the editor</title>');
  // the VF is not on this host (pci-unknown): the error is asked about first
  const run = await runDefineLens(text, { [ERRORS]: 'Define anyway' });
  assert.equal(run.title, `Redefine '${GUEST}' on 'loopback'`);
  assert.equal(run.result.ok, true, run.result.message);
  assert.equal(run.result.commandLine, 'virsh -c qemu:///session define --validate --file /dev/stdin');
  assert.match(run.result.message, new RegExp(`^Domain '${GUEST}' defined from /dev/stdin`));
  assert.doesNotMatch(run.result.message, /is running/, 'a guest shut off: nothing to add');
  assert.deepEqual(
    run.questions.map((q) => q.slice(0, ERRORS.length)),
    [ERRORS],
    'no question about devices: the document keeps them',
  );
  assert.match(inactiveXml(GUEST), /<title>edited in the editor<\/title>/);
  assert.deepEqual(remoteTempFiles(), tempBefore, 'nothing left in /tmp on the host');
});

test('a running guest redefined: the answer says the new definition applies when it is shut down and started again', async () => {
  const text = inactiveXml(RUNNING).replace('</name>', '</name>\n  <title>while running</title>');
  const run = await runDefineLens(text, {}, `file:///work/${RUNNING}.xml`);
  assert.equal(run.title, `Redefine '${RUNNING}' on 'loopback'`);
  assert.deepEqual(run.questions, [], 'no errors, no devices to drop');
  assert.equal(run.result.ok, true, run.result.message);
  assert.equal(
    run.result.message,
    `Domain '${RUNNING}' defined from /dev/stdin. '${RUNNING}' is running: it runs on with the definition it started with; the new one applies when it is shut down and started again.`,
  );
  assert.match(inactiveXml(RUNNING), /<title>while running<\/title>/);
  assert.doesNotMatch(vmVirsh(['dumpxml', '--domain', RUNNING]).stdout, /while running/, 'the live definition is the one it started with');
});

test('a document without the VF the host definition holds: the user is told which, and Cancel defines nothing', async () => {
  const hostXml = inactiveXml(GUEST);
  const text = hostXml.replace(/ *<interface type='hostdev'[^]*?<\/interface>\n/, '');
  assert.notEqual(text, hostXml, 'the interface was taken out');
  const run = await runDefineLens(text, { [DROPS]: 'Cancel' });
  assert.deepEqual(run.result, { ok: false, message: 'cancelled' });
  assert.equal(run.questions.length, 1, `one question: ${JSON.stringify(run.questions)}`);
  assert.equal(
    run.questions[0],
    `${DROPS} a device this document does not: <interface> 0000:0b:10.2. Redefined from this document, the guest no longer has it at its next start.`,
  );
  assert.equal(inactiveXml(GUEST), hostXml, 'the definition on the host is unchanged');
});

test("a misspelt element: libvirt's schema refuses it (--validate) and its words come back; nothing changes", async () => {
  const hostXml = inactiveXml(GUEST);
  const text = hostXml.replace('</name>', '</name>\n  <titel>typo</titel>');
  const run = await runDefineLens(text, { [ERRORS]: 'Define anyway' });
  assert.equal(run.result.ok, false);
  assert.match(run.result.message, /XML document failed to validate against schema[^]*Element domain has extra content: titel/);
  assert.ok(
    run.warnings.some((w) =>
      w.startsWith('virsh -c qemu:///session define --validate --file /dev/stdin → failed: XML document failed to validate against schema'),
    ),
    `the refusal is in the server's log: ${JSON.stringify(run.warnings)}`,
  );
  assert.equal(inactiveXml(GUEST), hostXml);
});

test("a document without the guest's <uuid>: libvirt's refusal (the name is taken) comes back with the <uuid> to give it", async () => {
  const hostXml = inactiveXml(GUEST);
  const uuid = /<uuid>([^<]+)<\/uuid>/.exec(hostXml)![1];
  const run = await runDefineLens(hostXml.replace(/ *<uuid>[^<]*<\/uuid>\n/, ''), { [ERRORS]: 'Define anyway' });
  // the document's own check says it first (uuid-taken, on the name), with the same <uuid>
  assert.match(
    run.questions[0],
    new RegExp(`^The domain has \\d+ error\\(s\\): No <uuid>, and the host has a guest '${GUEST}' — define fails; .*<uuid>${uuid}</uuid>`),
  );
  assert.equal(run.result.ok, false);
  assert.equal(
    run.result.message,
    `operation failed: domain '${GUEST}' already exists with uuid ${uuid}. To redefine that guest, give the document its UUID: ` +
      `<uuid>${uuid}</uuid> (a document without one, or with another, is a new guest of a name that is taken)`,
  );
  assert.equal(inactiveXml(GUEST), hostXml);
});

test('an untrusted workspace: the Define lens command is refused and nothing is asked or defined', async () => {
  const hostXml = inactiveXml(GUEST);
  const questions: string[] = [];
  await withTestServer(
    {
      initializationOptions: { settings: settings(), trusted: false, hostsFromUser: true, knownHostsFile: sshEnv().knownHosts },
      answerMessage: (m) => {
        questions.push(m.message);
        return m.actions?.[0] ?? null;
      },
    },
    async (client) => {
      client.open(uri, hostXml.replace('</name>', '</name>\n  <title>never</title>'));
      const r = await client.request<{ ok: boolean; message: string }>('workspace/executeCommand', {
        command: ServerCommands.defineGuest,
        arguments: [{ uri }],
      });
      assert.equal(r.ok, false);
      assert.match(r.message, /not trusted: guest definitions are not changed/);
    },
  );
  assert.deepEqual(questions, [], 'refused before any question (the document has an error to ask about)');
  assert.equal(inactiveXml(GUEST), hostXml);
});
