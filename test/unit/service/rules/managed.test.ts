// managed-value (virDomainHostdevDefParseXMLSubsys drops an invalid managed silently)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectAt, expectNone, hostdev, iface } from './helpers';

test("managed-value: managed='maybe' is a warning on the value, on interfaces and hostdevs", () => {
  const [p] = expectAt(iface('', { attrs: " managed='[[maybe]]'" }), 'managed-value', 'warning');
  assert.match(p.message, /^managed='maybe' is not yes\/no — libvirt silently ignores it and uses the default managed='no'/);
  expectAt(hostdev(undefined, '', " managed='[[Yes]]'"), 'managed-value', 'warning');
});

test("managed-value: an empty managed='' is reported on the attribute name", () => {
  expectAt(iface('', { attrs: " [[managed]]=''" }), 'managed-value', 'warning');
});

test("managed-value: 'yes', 'no' or no managed attribute are fine", () => {
  expectNone(iface('', { attrs: " managed='yes'" }), 'managed-value');
  expectNone(iface('', { attrs: " managed='no'" }), 'managed-value');
  expectNone(iface('', { attrs: '' }), 'managed-value');
});
