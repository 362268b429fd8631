// attribute-value: fixed-choice attributes of a hostdev interface (virXMLPropEnum / virXMLPropTristateBool,
// <link state>), case-sensitive. Messages verified with virsh -c test:///default define.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectAt, expectNone, iface } from './helpers';

test('attribute-value: mac type/check, target managed, port isolated, trustGuestRxFilters outside their values are refused', () => {
  const [type] = expectAt(
    iface('', { mac: "<mac address='52:54:00:6d:90:02' type='[[Static]]' check='[[maybe]]'/>" }),
    'attribute-value',
    'error',
  );
  assert.match(
    type.message,
    /^type='Static' on <mac> is not 'generated' or 'static' — define\/attach fails; libvirt: "XML error: Invalid value for attribute 'type' in element 'mac': 'Static'."\. Write 'static': libvirt reads it case-sensitively\./,
  );
  expectAt(iface("<target dev='vf0' managed='[[maybe]]'/><port isolated='[[YES]]'/>"), 'attribute-value', 'error');
  const [trust] = expectAt(iface('', { attrs: " managed='yes' trustGuestRxFilters='[[Yes]]'" }), 'attribute-value', 'error');
  assert.match(trust.message, /libvirt: "XML error: Invalid value for attribute 'trustGuestRxFilters' in element 'interface': 'Yes'."/);
});

test("attribute-value: <link state> is 'up' or 'down', with libvirt's own message", () => {
  const [p] = expectAt(iface("<link state='[[sideways]]'/>"), 'attribute-value', 'error');
  assert.match(p.message, /libvirt: "unsupported configuration: unknown interface link state 'sideways'"/);
});

test('attribute-value: the known values, and a second <mac> (libvirt reads the first), are fine', () => {
  expectNone(
    iface("<target dev='vf0' managed='yes'/><port isolated='no'/><link state='down'/><mac address='52:54:00:6d:90:03' type='x'/>", {
      attrs: " managed='yes' trustGuestRxFilters='no'",
      mac: "<mac address='52:54:00:6d:90:02' type='generated' check='no'/>",
    }),
    'attribute-value',
  );
});
