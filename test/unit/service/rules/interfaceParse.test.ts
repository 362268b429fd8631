// Parse errors libvirt gives at define for hostdev interface children, device options and types it cannot
// read: virDomainNetIPParseXML, virNetDevIPRouteParseXML, virDomainNetDefCoalesceParseXML,
// virNetDevBandwidthParse, virDomainVirtioOptionsParseXML, virDomainHostdevSubsysMediatedDevDefParseXML,
// virDomainNetDefParseXML's type. Each message was read from `virsh -c test:///default define` (libvirt 9.0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectAt, expectNone, iface } from './helpers';
import { validate } from '../../../../server/src/service/validate';

function onlyMessage(source: string, code: 'element-unsupported' | 'driver-name' | 'source-missing' | 'device-type'): string {
  const problems = expectAt(source, code, 'error');
  assert.equal(problems.length, 1);
  return problems[0].message;
}

const cases: [string, string, string][] = [
  ["<[[ip]] prefix='24'/>", 'XML error: Missing required address in <ip>', 'an <ip> without address'],
  ["<ip address='[[x]]'/>", "XML error: Invalid address 'x' in <ip>", 'an <ip> address that is none'],
  [
    "<route address='[[x]]' prefix='24' gateway='192.0.2.1'/>",
    "XML error: guest interface: Bad network address 'x' in route definition",
    'a <route> address that is none',
  ],
  [
    "<[[route]] address='192.0.2.0' prefix='24'/>",
    'XML error: guest interface: Missing required gateway attribute in route definition',
    'a <route> without gateway',
  ],
  ["<coalesce><rx><frames max='[[x]]'/></rx></coalesce>", "cannot parse value 'x' for coalesce parameter", 'a coalesce max no number'],
  [
    "<coalesce><rx><frames max='[[4294967296]]'/></rx></coalesce>",
    "numerical overflow: value '4294967296' is too big for coalesce parameter, maximum is '4294967295'",
    'a coalesce max past UINT_MAX',
  ],
  [
    "<bandwidth><inbound average='[[x]]'/></bandwidth>",
    "unsupported configuration: could not convert bandwidth average value 'x'",
    'a bandwidth average no number',
  ],
  [
    "<bandwidth><inbound average='100' floor='[[50]]'/></bandwidth>",
    'unsupported configuration: floor attribute is not supported for this config',
    'a floor on a hostdev interface',
  ],
  [
    "<bandwidth><outbound average='100' floor='[[50]]'/></bandwidth>",
    "unsupported configuration: 'floor' attribute allowed only in <inbound> element",
    'an outbound floor',
  ],
  ["<bandwidth><[[inbound]] peak='5'/></bandwidth>", 'Missing mandatory average or floor attributes', 'an inbound without average'],
];

for (const [extra, libvirt, what] of cases) {
  test(`element-unsupported: ${what} fails at define with libvirt's parse error`, () => {
    const message = onlyMessage(iface(extra), 'element-unsupported');
    assert.ok(message.includes(` — define/attach fails; libvirt: "${libvirt}"`), message);
  });
}

test('element-unsupported: an empty coalesce max reads as no coalesce', () => {
  expectNone(iface("<coalesce><rx><frames max=''/></rx></coalesce>"), 'element-unsupported');
});

test("driver-name: <driver iommu='maybe'> is libvirt's parse error, before the virtio-only check", () => {
  const message = onlyMessage(iface("<driver iommu='[[maybe]]'/>"), 'driver-name');
  assert.ok(
    message.includes(` — define/attach fails; libvirt: "XML error: Invalid value for attribute 'iommu' in element 'driver': 'maybe'."`),
    message,
  );
});

test('source-missing: an mdev uuid libvirt cannot read', () => {
  const message = onlyMessage(
    "<hostdev mode='subsystem' type='mdev' model='vfio-pci'><source><address uuid='[[xyz]]'/></source></hostdev>",
    'source-missing',
  );
  assert.ok(
    message.includes(' — define/attach fails; libvirt: "internal error: Cannot parse uuid attribute of element <address>"'),
    message,
  );
  expectNone(
    "<hostdev mode='subsystem' type='mdev' model='vfio-pci'><source><address uuid=' c2177883-f1bb-47f0-914d-32a22e3a8804 '/></source></hostdev>",
    'source-missing',
  );
});

test("device-type: an empty interface type is libvirt's invalid value", () => {
  const message = onlyMessage("<interface [[type]]=''/>", 'device-type');
  assert.ok(message.includes(`libvirt: "XML error: Invalid value for attribute 'type' in element 'interface': ''."`), message);
});

test('an <ip address> in any form getaddrinfo takes numerically is no parse error; one in none of them is', () => {
  for (const address of ['192.0.2.1', '10.1', '0x7f.1', '::1', '2001:db8::1', '::ffff:192.0.2.1', 'fe80::1%eth0']) {
    const problems = validate(iface(`<ip address='${address}'/>`));
    assert.ok(
      problems.every((p) => !p.message.includes('Invalid address')),
      `${address}: ${problems.map((p) => p.message).join(' | ')}`,
    );
  }
  for (const address of ['x', '1.2.3.4.5', 'fe80::g1', 'host.example']) {
    assert.match(onlyMessage(iface(`<ip address='[[${address}]]'/>`), 'element-unsupported'), /Invalid address/, address);
  }
});
