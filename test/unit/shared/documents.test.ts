// Which XML documents are libvirt's (shared/documents.ts): root element and user globs.
import test from 'node:test';
import assert from 'node:assert/strict';
import { documentKind, globMatches, rootElementName } from '../../../shared/documents';

test('rootElementName skips the declaration, comments, processing instructions and a DOCTYPE', () => {
  assert.equal(rootElementName('<?xml version="1.0"?>\n<!-- <domain> -->\n<!DOCTYPE project>\n<?pi x?>\n<project>'), 'project');
  assert.equal(rootElementName("<domain type='kvm'>"), 'domain');
  assert.equal(rootElementName('  \n<interface/>'), 'interface');
  assert.equal(rootElementName(''), null);
  assert.equal(rootElementName('<!-- unfinished'), null);
  assert.equal(rootElementName('<'), null);
});

test('documentKind: libvirt roots are checked, other vocabularies are not, an empty file may become one', () => {
  for (const root of ['domain', 'interface', 'hostdev', 'devices', 'network'])
    assert.equal(documentKind(`<${root}/>`, '/a.xml'), 'libvirt', root);
  assert.equal(documentKind('<project><modelVersion>', '/w/pom.xml'), 'other');
  assert.equal(documentKind('<Project Sdk="Microsoft.NET.Sdk">', '/w/app.csproj'), 'other');
  assert.equal(documentKind('<?xml version="1.0"?>\n', '/w/new.xml'), 'empty');
  assert.equal(documentKind('<project/>', '/w/libvirt/guest.xml', ['**/libvirt/*.xml']), 'libvirt');
});

test('documentKind: a libvirt root name under another default namespace is another vocabulary', () => {
  assert.equal(documentKind('<?xml version="1.0" ?>\n<domain xmlns="urn:jboss:domain:20.0">', '/w/domain.xml'), 'other');
  assert.equal(documentKind('<network\n  xmlns="urn:ietf:params:xml:ns:yang:ietf-network">', '/w/topo.xml'), 'other');
  assert.equal(documentKind("<interface xmlns='http://www.gtk.org/ns/gtkbuilder'/>", '/w/a.ui'), 'other');
  // libvirt's own prefixed namespaces, no namespace, and a stray libvirt.org one (the default-namespace rule's case)
  assert.equal(documentKind("<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>", '/w/g.xml'), 'libvirt');
  assert.equal(documentKind("<domain xmlns='' type='kvm'>", '/w/g.xml'), 'libvirt');
  assert.equal(documentKind("<interface type='hostdev' xmlns='http://libvirt.org/schemas/domain/1.0'>", '/w/i.xml'), 'libvirt');
  assert.equal(documentKind('<domain type="kvm" xmlns="urn:x', '/w/half-typed.xml'), 'libvirt');
  // the user's glob says it is libvirt's whatever its namespace
  assert.equal(documentKind('<domain xmlns="urn:x">', '/w/libvirt/g.xml', ['**/libvirt/*.xml']), 'libvirt');
});

test('globMatches: **, *, ?, {a,b} and [..], anchored at a folder boundary unless absolute', () => {
  assert.ok(globMatches('**/libvirt/*.xml', '/home/me/ops/libvirt/web.xml'));
  assert.ok(globMatches('guests/*.xml', '/home/me/guests/web.xml'));
  assert.ok(!globMatches('guests/*.xml', '/home/me/oldguests/web.xml'));
  assert.ok(!globMatches('guests/*.xml', '/home/me/guests/sub/web.xml'));
  assert.ok(globMatches('*.{xml,j2}', '/x/a.j2'));
  assert.ok(globMatches('/etc/libvirt/qemu/*.xml', '/etc/libvirt/qemu/web.xml'));
  assert.ok(!globMatches('/etc/libvirt/qemu/*.xml', '/x/etc/libvirt/qemu/web.xml'));
  assert.ok(globMatches('vm?.xml', '/x/vm1.xml'));
  assert.ok(globMatches('vm[0-9].xml', '/x/vm7.xml'));
  assert.ok(globMatches('**/*.xml', 'C:\\work\\vm.xml'));
});

test("rootElement reads past a DOCTYPE of any size, and a '>' or '<b>' in its internal subset ends nothing", () => {
  const big = `<!DOCTYPE domain [<!ENTITY a "${'x'.repeat(70_000)}">]>\n<domain type='kvm'>`;
  assert.equal(rootElementName(big), 'domain');
  assert.equal(rootElementName(`<!DOCTYPE d [<!ENTITY a "<b>"> <!-- ]> <c> --> <?pi > <e>?>]>\n<domain/>`), 'domain');
  assert.equal(rootElementName(`<!DOCTYPE d [<!ENTITY a 'x>'>`), null);
  assert.equal(documentKind(big, '/w/big.xml'), 'libvirt');
});

test('documentKind: a libvirt root name with a DTD, or whose first child its libvirt root does not take, is another vocabulary', () => {
  const glassfish = '<domain log-root="${com.sun.aas.instanceRoot}/logs" version="10.0">\n  <applications/>';
  assert.equal(documentKind(glassfish, '/w/domain.xml'), 'other');
  assert.equal(
    documentKind('<!DOCTYPE network SYSTEM "http://www.matsim.org/files/dtd/network_v2.dtd">\n<network name="x">', '/w/n.xml'),
    'other',
  );
  assert.equal(documentKind('<!DOCTYPE network PUBLIC "-//x//EN" "net.dtd">\n<network>', '/w/n.xml'), 'other');
  assert.equal(documentKind('<network name="x">\n  <nodes>', '/w/n.xml'), 'other');
  // libvirt's: its children, a misspelt or half-typed one, a prefixed one, a libvirt attribute on the root, no child yet
  for (const text of [
    "<domain type='kvm'>\n  <name>",
    '<domain>\n  <nane>',
    '<domain>\n  <na',
    "<domain xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><qemu:commandline>",
    "<domain type='kvm'><applications/>",
    '<domain>',
    '<!DOCTYPE domain>\n<domain>\n<!-- first --><name>',
    "<interface type='hostdev'><mac/>",
    '<devices><interface/>',
  ])
    assert.equal(documentKind(text, '/w/g.xml'), 'libvirt', text);
});
