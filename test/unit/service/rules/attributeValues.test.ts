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

test("attribute-value: a <model type> with a character outside letters, digits, '_' and '-' is refused (virsh define)", () => {
  for (const model of ['e1000e.1', 'virtio net', 'virtio,x', 'é']) {
    const [p] = expectAt(iface(`<model type='[[${model}]]'/>`), 'attribute-value', 'error');
    assert.match(p.message, /— define\/attach fails; libvirt: "invalid argument: Model name contains invalid characters"/);
    // the error says it: no "has no effect" warning beside it
    expectNone(iface(`<model type='${model}'/>`), 'element-ignored');
  }
  // unknown but well-formed names, and an empty one, are kept (and have no effect on a VF)
  for (const model of ['Virtio', 'a_b-C9', '']) expectNone(iface(`<model type='${model}'/>`), 'attribute-value');
  expectAt(iface("<[[model]] type='virtio'/>"), 'element-ignored', 'warning');
});

test('attribute-value: an empty <link state> is no state (virsh define accepts it); an empty yes/no is refused', () => {
  expectNone(iface("<link state=''/>"), 'attribute-value');
  expectAt(iface("<link state='[[default]]'/>"), 'attribute-value', 'error');
  expectAt(iface("<target dev='vf0' [[managed]]=''/>"), 'attribute-value', 'error');
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
