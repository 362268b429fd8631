// Which source the status (and the SR-IOV view) shows when open documents use different ones: the
// focused document's once the client says which (libvirtHostdev/activeDocument), else the last checked.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Inventory } from '../../shared/snapshot';
import { example, exampleInventory, startTestServer, type PublishedDiagnostics } from './harness';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-active-document-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** a copy of the example snapshot as host `host`, whose guest web01 is called `web01` */
function snapshot(file: string, host: string, web01: string): void {
  const inventory = JSON.parse(fs.readFileSync(exampleInventory, 'utf8')) as Inventory;
  inventory.host = host;
  inventory.guests = inventory.guests.map((g) => (g.name === 'web01' ? { ...g, name: web01 } : g));
  fs.writeFileSync(file, JSON.stringify(inventory));
}

const namesHolder =
  (guest: string) =>
  (p: PublishedDiagnostics): boolean =>
    p.diagnostics.some((d) => d.code === 'vf-in-use' && String(d.message).includes(` by '${guest}' `));

test("the status follows the focused document's host once the client says which; a background re-check of another document does not take it back", async () => {
  const fileA = path.join(tmp, 'a.json');
  const fileB = path.join(tmp, 'b.json');
  snapshot(fileA, 'kvm-a', 'web01');
  snapshot(fileB, 'kvm-b', 'web01');
  const uriA = `file://${tmp}/a.xml`;
  const uriB = `file://${tmp}/b.xml`;
  const pom = `file://${tmp}/pom.xml`;
  const client = await startTestServer({ configuration: (item) => ({ inventoryFile: item.scopeUri === uriB ? fileB : fileA }) });
  try {
    const text = example('guest-bad.xml');
    client.open(uriA, text);
    await client.diagnosticsFor(uriA, 'a.xml checked with a.json', namesHolder('web01'));
    client.open(uriB, text);
    await client.diagnosticsFor(uriB, 'b.xml checked with b.json', namesHolder('web01'));
    client.open(pom, '<project><modelVersion>4.0.0</modelVersion></project>');
    // no focus said yet: the last document checked
    await client.statuses.wait("kvm-b's status (b.xml was checked last)", (s) => s.host === 'kvm-b');

    let seen = client.statuses.all.length;
    void client.connection.sendNotification('libvirtHostdev/activeDocument', { uri: uriA });
    await client.statuses.wait("kvm-a's status once a.xml has the focus", (s) => s.host === 'kvm-a', seen);

    // b.json changes: b.xml is checked again in the background, a.xml keeps the focus
    seen = client.statuses.all.length;
    snapshot(fileB, 'kvm-b', 'web01-b');
    await client.nextDiagnostics(uriB, 'b.xml checked again (web01-b in b.json)', namesHolder('web01-b'));
    assert.deepEqual(
      client.statuses.all.slice(seen).map((s) => s.host),
      [],
      'a status is sent before the diagnostics of the check that would send it',
    );

    // a document that is not libvirt's, or none, changes nothing; b.xml takes it back
    void client.connection.sendNotification('libvirtHostdev/activeDocument', { uri: pom });
    void client.connection.sendNotification('libvirtHostdev/activeDocument', { uri: null });
    void client.connection.sendNotification('libvirtHostdev/activeDocument', { uri: uriB });
    const back = await client.statuses.wait("kvm-b's status once b.xml has the focus", (s) => s.host === 'kvm-b', seen);
    assert.deepEqual(
      client.statuses.all.slice(seen).map((s) => s.host),
      [back.host],
      'one status: the focus on pom.xml and on nothing sent none',
    );
  } finally {
    await client.shutdown();
  }
});
