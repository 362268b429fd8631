// An inline disable-next-line comment applies in the editor as in the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, startTestServer } from './harness';

const uri = 'file:///work/suppressed.xml';
const DEVICE =
  "<interface type='hostdev' managed='yes'><mac address='01:00:5e:00:00:01'/><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x2'/></source></interface>\n";

test('a disable-next-line comment takes the code off the published diagnostics, and removing it brings it back', async () => {
  const client = await startTestServer({ debounceMs: 0 });
  try {
    client.open(uri, `<!-- libvirt-hostdev-disable-next-line mac-multicast -->\n${DEVICE}`);
    const first = await client.nextDiagnostics(uri);
    assert.ok(!codes(first).includes('mac-multicast'), codes(first).join(','));
    const version = client.change(uri, `<!-- a plain comment -->\n${DEVICE}`);
    const second = await client.nextDiagnostics(uri, `version ${version}`, (p) => p.version === version);
    assert.ok(codes(second).includes('mac-multicast'), codes(second).join(','));
  } finally {
    await client.shutdown();
  }
});
