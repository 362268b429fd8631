// <network> documents against REAL libvirt: every case of test/fixtures/network-corpus goes through
// `virsh net-define` on the test user's qemu:///session (the network driver, which applies
// networkValidate on top of the parser) and, for the parser's share, the test driver.
//  - reject/: net-define refuses it; here an error quotes the very line virsh printed. Checked with
//    this machine's inventory (read over the loopback sshd), so "is not an SR-IOV Virtual Function"
//    for a real non-VF address is decided by the host, as libvirt decides it.
//  - fails-at-start/: net-define takes it; here an error (a guest using the pool cannot start).
//  - accept/: net-define takes it; no error here.
// Each case's network is named lhd-nd-<case> and undefined again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fetchInventory } from '../../../server/src/inventory/fetchInventory';
import { validate } from '../../../server/src/service/index';
import type { Inventory } from '../../../server/src/service/types';
import { isolateHome, sshTransport, vmVirsh } from '../inventory/support';

const CORPUS = path.resolve(__dirname, '../../../../test/fixtures/network-corpus');
const FOLDERS = ['reject', 'fails-at-start', 'accept'] as const;

interface Case {
  folder: (typeof FOLDERS)[number];
  file: string;
  text: string;
  /** the <name>, when the case has a usable one */
  name: string | null;
}

const cases: Case[] = FOLDERS.flatMap((folder) =>
  fs
    .readdirSync(path.join(CORPUS, folder))
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((file) => {
      const text = fs.readFileSync(path.join(CORPUS, folder, file), 'utf8');
      const name = /<name>([^<]*)<\/name>/.exec(text)?.[1] ?? null;
      return { folder, file, text, name: name && !name.includes('/') ? name : null };
    }),
);

let dir = '';
let inventory: Inventory;

before(async () => {
  isolateHome('lhd-netdef-home-', true);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-netdef-'));
  fs.chmodSync(dir, 0o755);
  for (const c of cases) if (c.name) vmVirsh(['net-undefine', '--network', c.name]);
  const transport = sshTransport();
  try {
    inventory = (await fetchInventory(transport, { host: 'this-machine', uri: 'qemu:///session', timeoutMs: 120_000 })).inventory;
  } finally {
    transport.close();
  }
});

after(() => {
  for (const c of cases) if (c.name) vmVirsh(['net-undefine', '--network', c.name]);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** `virsh net-define` on qemu:///session (then undefined again) and on the test driver. */
function netDefine(c: Case): { session: { ok: boolean; stderr: string }; testDriver: { ok: boolean; stderr: string } } {
  const file = path.join(dir, c.file);
  fs.writeFileSync(file, c.text, { mode: 0o644 });
  const r = vmVirsh(['net-define', '--file', file]);
  if (r.code === 0 && c.name) vmVirsh(['net-undefine', '--network', c.name]);
  const t = spawnSync('virsh', ['-c', 'test:///default', 'net-define', '--file', file], {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C' },
  });
  return { session: { ok: r.code === 0, stderr: r.stderr }, testDriver: { ok: t.status === 0, stderr: t.stderr } };
}

const quotedOf = (message: string) => /libvirt: "(.+?)"(?:\.|$)/.exec(message)?.[1] ?? null;

test('the network corpus has cases in every folder', () => {
  for (const folder of FOLDERS) assert.ok(cases.filter((c) => c.folder === folder).length >= 5, folder);
});

for (const c of cases) {
  const label = `${c.folder}/${c.file}`;
  if (c.folder === 'reject') {
    test(`${label}: net-define refuses it, and an error here quotes virsh's line`, () => {
      const { session, testDriver } = netDefine(c);
      assert.equal(session.ok, false, `qemu:///session accepted ${label}`);
      const errors = validate(c.text, { inventory }).filter((p) => p.severity === 'error');
      const quoted = errors.map((p) => quotedOf(p.message)).filter((q): q is string => q !== null);
      assert.ok(
        quoted.some((q) => session.stderr.includes(`error: ${q}`)),
        `virsh said:\n${session.stderr}\nthe errors here quote:\n${quoted.join('\n') || '(no error)'}`,
      );
      // the parser's refusals are the test driver's too; networkValidate's are the network driver's only
      if (!testDriver.ok) assert.equal(testDriver.stderr.split('\n')[1], session.stderr.split('\n')[1], 'same parser message');
    });
  } else {
    test(`${label}: net-define takes it, ${c.folder === 'accept' ? 'no error here' : 'an error here (a guest cannot start on it)'}`, () => {
      const { session } = netDefine(c);
      assert.equal(session.ok, true, `qemu:///session refused ${label}:\n${session.stderr}`);
      const errors = validate(c.text).filter((p) => p.severity === 'error');
      if (c.folder === 'accept')
        assert.deepEqual(
          errors.map((p) => `${p.code}: ${p.message}`),
          [],
        );
      else assert.ok(errors.length > 0, 'no error');
    });
  }
}

test('a <pf dev> the host lacks: the error quotes what virsh net-start says', () => {
  const c = cases.find((x) => x.file === 'pf.xml')!;
  const file = path.join(dir, 'pf-start.xml');
  fs.writeFileSync(file, c.text.replace('enp11s0f0', 'lhdnope0'), { mode: 0o644 });
  const defined = vmVirsh(['net-define', '--file', file]);
  assert.equal(defined.code, 0, defined.stderr);
  let start;
  try {
    start = vmVirsh(['net-start', '--network', c.name!]);
  } finally {
    vmVirsh(['net-destroy', '--network', c.name!]);
    vmVirsh(['net-undefine', '--network', c.name!]);
  }
  assert.notEqual(start.code, 0);
  const [problem] = validate(fs.readFileSync(file, 'utf8'), { inventory }).filter((p) => p.code === 'network-pf');
  assert.ok(problem, 'no network-pf');
  assert.ok(start.stderr.includes(`error: ${quotedOf(problem.message)}`), `virsh said:\n${start.stderr}\nhere:\n${problem.message}`);
});
