// Diagnostics through the real server: push (debounced per document), pull, open/change/close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, example, positionOf, startTestServer } from './harness';

const BAD = example('guest-bad.xml');
const GOOD = example('guest-good.xml');
const uri = 'file:///work/guest-bad.xml';

function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `fixture contains ${needle}`);
  return positionOf(text, at).line;
}

test('initialize without pull support: features announced, no diagnosticProvider', async () => {
  const client = await startTestServer();
  try {
    const caps = client.initializeResult.capabilities;
    assert.ok(caps.hoverProvider);
    assert.ok(caps.completionProvider);
    assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix'] });
    assert.ok(caps.codeLensProvider);
    assert.ok(caps.documentSymbolProvider);
    assert.equal(caps.diagnosticProvider, undefined);
  } finally {
    await client.shutdown();
  }
});

test('didOpen of the bad example pushes the unclosed <mac> and vlan-virtualport at their lines', async () => {
  const client = await startTestServer();
  try {
    client.open(uri, BAD);
    const published = await client.nextDiagnostics(uri);
    assert.equal(published.version, 1);
    const syntax = published.diagnostics.find((d) => d.code === 'xml-syntax');
    assert.ok(syntax, `xml-syntax in ${codes(published).join(',')}`);
    const macLine = lineOf(BAD, "<mac address='52:54:00:6d:90:22'");
    assert.ok(
      syntax.range.start.line === macLine || syntax.range.start.line === macLine + 1,
      `xml-syntax at line ${syntax.range.start.line}`,
    );
    assert.equal(syntax.severity, 1);
    assert.equal(syntax.source, 'libvirt-hostdev');

    const vlan = published.diagnostics.find((d) => d.code === 'vlan-virtualport');
    assert.ok(vlan, `vlan-virtualport in ${codes(published).join(',')}`);
    const vlanLine = lineOf(BAD, '<vlan>');
    const vportLine = lineOf(BAD, "<virtualport type='802.1Qbh'>");
    assert.ok(
      vlan.range.start.line === vlanLine || vlan.range.start.line === vportLine,
      `vlan-virtualport at line ${vlan.range.start.line}`,
    );
    assert.equal(vlan.severity, 1);

    // Without an inventory, only document rules apply.
    assert.ok(codes(published).includes('mac-multicast'));
    assert.ok(!codes(published).some((c) => ['pci-unknown', 'vf-in-use', 'pci-not-vf', 'inventory-unavailable'].includes(c)));
  } finally {
    await client.shutdown();
  }
});

test('didChange publishes for the new text; rapid edits are validated once, for the last version', async () => {
  const client = await startTestServer();
  try {
    client.open(uri, BAD);
    await client.nextDiagnostics(uri);
    const seenBefore = client.diagnostics.all.length;
    client.change(uri, BAD + '<!-- 1 -->');
    client.change(uri, BAD + '<!-- 2 -->');
    const last = client.change(uri, GOOD);
    const published = await client.nextDiagnostics(uri);
    assert.equal(published.version, last, 'the debounce skipped the intermediate versions');
    assert.equal(client.diagnostics.all.length, seenBefore + 1);
    assert.deepEqual(
      published.diagnostics.filter((d) => d.severity === 1),
      [],
    );
  } finally {
    await client.shutdown();
  }
});

test('didClose publishes empty diagnostics', async () => {
  const client = await startTestServer();
  try {
    client.open(uri, BAD);
    await client.nextDiagnostics(uri);
    client.close(uri);
    const cleared = await client.nextDiagnostics(uri);
    assert.deepEqual(cleared.diagnostics, []);
  } finally {
    await client.shutdown();
  }
});

test('close while a validation is pending: the empty publish comes, and a re-open starts fresh', async () => {
  const client = await startTestServer({ debounceMs: 50 });
  try {
    client.open(uri, GOOD);
    await client.nextDiagnostics(uri);
    client.change(uri, BAD);
    client.close(uri);
    const cleared = await client.nextDiagnostics(uri);
    assert.deepEqual(cleared.diagnostics, []);
    client.open(uri, GOOD);
    const reopened = await client.nextDiagnostics(uri);
    assert.equal(reopened.version, 1);
    assert.ok(!codes(reopened).includes('xml-syntax'));
  } finally {
    await client.shutdown();
  }
});

test('pull diagnostics: diagnosticProvider announced, textDocument/diagnostic answers, nothing is pushed', async () => {
  const client = await startTestServer({ pull: true });
  try {
    assert.ok(client.initializeResult.capabilities.diagnosticProvider);
    client.open(uri, BAD);
    const report = await client.request<{ kind: string; items: { code: string }[] }>('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(report.kind, 'full');
    const got = report.items.map((d) => d.code);
    assert.ok(got.includes('xml-syntax'), got.join(','));
    assert.ok(got.includes('vlan-virtualport'), got.join(','));
    // A second round trip after the open: a push would have been scheduled at once (0 ms) and sent before this answer.
    await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    client.close(uri);
    await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    assert.equal(client.diagnostics.all.length, 0, 'no publishDiagnostics in pull mode');
    const closed = await client.request<{ items: unknown[] }>('textDocument/diagnostic', { textDocument: { uri } });
    assert.deepEqual(closed.items, []);
  } finally {
    await client.shutdown();
  }
});

test('only libvirt documents are checked: a broken pom.xml gets nothing of ours, a domain and a user glob do', async () => {
  const files = ['**/templates/*.xml.j2'];
  const client = await startTestServer({ debounceMs: 0, configuration: () => ({ files }) });
  try {
    const pom = 'file:///w/pom.xml';
    client.open(pom, '<?xml version="1.0"?>\n<!-- build -->\n<project><modelVersion>4.0.0</modelVersion><dependencies></project>\n');
    assert.deepEqual(codes(await client.diagnosticsFor(pom)), [], "xml-syntax is the XML tools' job on a pom.xml");
    const hover = await client.request<unknown>('textDocument/hover', { textDocument: { uri: pom }, position: { line: 2, character: 3 } });
    assert.equal(hover, null);
    const lenses = await client.request<unknown[]>('textDocument/codeLens', { textDocument: { uri: pom } });
    assert.deepEqual(lenses, []);
    // The CLI's check reports these as not-libvirt; the editor leaves a new or foreign .xml alone.
    for (const [name, text] of [
      ['empty.xml', ''],
      ['comment.xml', '<!-- soon -->\n'],
      ['foo.xml', '<foo/>\n'],
      ['hello.xml', 'hello'],
    ]) {
      const uri = `file:///w/${name}`;
      client.open(uri, text);
      assert.deepEqual(codes(await client.diagnosticsFor(uri)), [], `${name} gets no diagnostic in the editor`);
    }

    // each root with a first child of libvirt's left open
    const roots = { domain: 'name', interface: 'mac', hostdev: 'source', devices: 'disk', network: 'name' };
    for (const [root, child] of Object.entries(roots)) {
      const uri = `file:///w/${root}.xml`;
      client.open(uri, `<!DOCTYPE x>\n<${root}><${child}></${root}>\n`);
      assert.ok(codes(await client.diagnosticsFor(uri)).includes('xml-syntax'), `<${root}> is checked`);
    }
    // a root of another vocabulary with a libvirt name: GlassFish's <domain>, MATSim's <network> (a DTD, a first child libvirt's root does not take)
    const glassfish = 'file:///w/glassfish/domain.xml';
    client.open(
      glassfish,
      '<domain log-root="${com.sun.aas.instanceRoot}/logs" version="10.0">\n  <applications/>\n  <resources/>\n</domain>\n',
    );
    assert.deepEqual(codes(await client.diagnosticsFor(glassfish)), []);
    const matsim = 'file:///w/matsim/network.xml';
    client.open(
      matsim,
      '<!DOCTYPE network SYSTEM "http://www.matsim.org/files/dtd/network_v2.dtd">\n<network name="equil">\n  <nodes/>\n</network>\n',
    );
    assert.deepEqual(codes(await client.diagnosticsFor(matsim)), []);
    // a libvirt domain that starts with something else is still libvirt's by its type='kvm'
    const odd = 'file:///w/odd.xml';
    client.open(odd, "<domain type='kvm'><applications/></domain>\n");
    assert.ok(codes(await client.diagnosticsFor(odd)).includes('domain-name'));
    // a template whose first element is not libvirt's, matched by the user's glob
    const template = 'file:///w/templates/guest.xml.j2';
    client.open(template, "<vars/>\n<interface type='hostdev'><mac address='01:00:5e:00:00:01'/></interface>\n");
    assert.ok(codes(await client.diagnosticsFor(template)).includes('mac-multicast'), 'the glob makes it checked');
  } finally {
    await client.shutdown();
  }
});

test('hostile inputs never take the server down: binary, empty, deeply nested, huge attribute', async () => {
  const client = await startTestServer({ debounceMs: 0 });
  try {
    const inputs: Record<string, string> = {
      'file:///x/binary.xml': '\u0000\u0001\uFFFD<\u0000interface type=\u0007hostdev>\uD800',
      'file:///x/empty.xml': '',
      'file:///x/deep.xml':
        '<domain>' + '<a>'.repeat(20000) + "<interface type='hostdev'><source><address type='pci' bus='0x0b'/></source></interface>",
      'file:///x/long.xml': `<interface type='hostdev'><mac address='${'a'.repeat(200000)}'/></interface>`,
      'file:///x/tags.xml': '<<<>>></></interface><interface type="hostdev"><source><address type="pci" bus=',
    };
    for (const [u, text] of Object.entries(inputs)) client.open(u, text);
    for (const u of Object.keys(inputs)) {
      const published = await client.diagnosticsFor(u);
      assert.ok(Array.isArray(published.diagnostics));
      for (const d of published.diagnostics) {
        assert.ok(d.range.start.line >= 0 && d.range.end.line >= d.range.start.line, `${u}: sane range`);
      }
    }
    // Still answering.
    const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: 'file:///x/tags.xml' } });
    assert.ok(Array.isArray(symbols));
    assert.deepEqual(client.logErrors, []);
  } finally {
    await client.shutdown();
  }
});

test('a 20 MB document (more than libvirt takes) gets one document-size diagnostic, nothing else', async () => {
  const client = await startTestServer();
  try {
    const device = example('interface-snippet.xml').replace("<tag id='200'/>", "<tag id='5000'/>");
    const filler = `<!-- ${'x'.repeat(1023)} -->\n`;
    const text = `<domain type='kvm'>\n<name>big</name>\n<devices>\n${filler.repeat(20 * 1024)}${device}</devices>\n</domain>\n`;
    const bigUri = 'file:///x/big.xml';
    client.open(bigUri, text);
    const published = await client.diagnosticsFor(bigUri);
    assert.deepEqual(codes(published), ['document-size']);
    assert.equal(published.diagnostics[0].range.start.line, 0);
  } finally {
    await client.shutdown();
  }
});
