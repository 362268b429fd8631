// A guest or network undefined by another tool between the inventory script's two virsh passes.
// The race is made deterministic without timing: a `virsh` first in the script's PATH swaps the
// test driver's host file just before the second pass (the one that dumps XML) runs real virsh,
// so real virsh reports the vanished objects exactly as it does on a live host.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseInventoryOutput, type InventoryResult } from '../../../server/src/inventory/parseOutput';
import { buildInventoryScript } from '../../../server/src/inventory/script';
import { shellQuote } from '../../../shared/shellQuote';
import { buildRhelExampleTree } from '../../support/sysfsTree';
import { runSh, tempDir, writeTestDriverHost } from '../../support/shellHost';

const REAL_VIRSH = ['/usr/bin/virsh', '/bin/virsh'].find((p) => fs.existsSync(p)) ?? '/usr/bin/virsh';

let work: string;
let sysfsRoot: string;

before(() => {
  work = tempDir('lhd-vanished-');
  const tree = buildRhelExampleTree(path.join(work, 'sys')).tree;
  tree.writeIpLink();
  sysfsRoot = tree.root;
});

after(() => fs.rmSync(work, { recursive: true, force: true }));

/** Runs the script against a fresh test-driver host whose file becomes `later` once XML is dumped. */
async function runWithHostChangedBeforeDump(name: string, later: (hostXml: string) => string): Promise<InventoryResult> {
  const dir = path.join(work, name);
  fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
  const uri = writeTestDriverHost(dir);
  const hostFile = uri.slice('test://'.length);
  const laterFile = path.join(dir, 'later.xml');
  fs.writeFileSync(laterFile, later(fs.readFileSync(hostFile, 'utf8')));
  const wrapper = path.join(dir, 'bin', 'virsh');
  fs.writeFileSync(
    wrapper,
    `#!/bin/sh\ncase "$*" in *dumpxml*) cp -- ${shellQuote(laterFile)} ${shellQuote(hostFile)} ;; esac\nexec ${shellQuote(REAL_VIRSH)} "$@"\n`,
  );
  fs.chmodSync(wrapper, 0o755);
  const built = buildInventoryScript({ sysfsRoot, uri });
  const env = { ...process.env, PATH: `${path.join(dir, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}` };
  const result = await runSh('sh -s', { stdin: built.script, timeoutMs: 30_000 }, env);
  return parseInventoryOutput(result.stdout, {
    boundary: built.boundary,
    host: 'kvm1',
    takenAt: '2026-12-02T12:00:00.000Z',
    sysfsRoot,
    uri,
  });
}

function withoutElement(xml: string, element: 'domain' | 'network', name: string): string {
  const re = new RegExp(`\\n  <${element}[ >](?:(?!</${element}>)[\\s\\S])*?<name>${name}</name>[\\s\\S]*?</${element}>`);
  assert.match(xml, re, `the test host defines ${element} ${name}`);
  return xml.replace(re, '');
}

test('a network and a guest undefined between virsh list and dumpxml are left out, with no warning', async () => {
  const r = await runWithHostChangedBeforeDump('undefined', (xml) =>
    withoutElement(withoutElement(xml, 'network', 'explicit'), 'domain', 'web01'),
  );
  assert.equal(r.complete, true);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(
    r.inventory.networks.map((n) => n.name),
    ['default', 'sriov-pool'],
  );
  assert.equal(r.inventory.guests.length, 1);
  assert.ok(!r.inventory.guests.some((g) => g.name === 'web01'));
});

test('libvirt that cannot be connected to in the dump pass fails the read, as in the list pass', async () => {
  const r = await runWithHostChangedBeforeDump('unreadable', () => '<node>not a host');
  assert.match(r.libvirtFailure ?? '', /error: failed to connect to the hypervisor/);
  assert.ok(!r.warnings.some((w) => /virsh|guest |network /.test(w)), r.warnings.join('\n'));
});
