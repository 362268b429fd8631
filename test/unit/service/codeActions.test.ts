import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, validate } from '../../../server/src/service/index';
import { context82576 } from './helpers';
import { MAC, SOURCE_104, fixesFor, iface } from './quickFixHelpers';
import { fixActions } from './quickFixHelpers';

describe('quick fixes never remove what a half-typed element swallowed', () => {
  it('vlan-virtualport: no "Remove <vlan>" while <vlan> has no end tag (it would take the following siblings along)', () => {
    const text = iface(
      `${MAC}${SOURCE_104}  <virtualport type='802.1Qbh'><parameters profileid='p'/></virtualport>\n  <vlan>\n    <tag id='10'/>\n  <model type='virtio'/>\n`,
    );
    const fix = fixesFor(text, 'vlan-virtualport');
    for (const a of fix.actions) assert.match(applyEdits(text, a.edits), /<model type='virtio'\/>/, a.title);
    assert.ok(fix.titles.includes('Remove <virtualport>'));
  });

  it('free VF: no replacement of a host <address> without its end (it would replace the siblings it swallowed)', () => {
    const text = iface(
      `${MAC}  <source>\n    <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'>\n  </source>\n  <vlan><tag id='42'/></vlan>\n`,
    );
    const problems = validate(text, context82576()).filter((p) => p.code === 'vf-in-use');
    assert.equal(problems.length, 1);
    assert.deepEqual(fixActions(text, problems[0].span, problems, context82576()), []);
  });
});

describe('code action selection', () => {
  it('answers only problems that overlap the requested range', () => {
    const text = iface(`  <mac address='01:00:5e:00:00:01'/>\n${SOURCE_104}  <driver name='kvm'/>\n`);
    const problems = validate(text);
    const driverAt = text.indexOf('kvm');
    const actions = fixActions(text, { start: driverAt, end: driverAt }, problems);
    assert.deepEqual(
      actions.map((a) => a.fixes),
      [['driver-name']],
    );
  });

  it('offers nothing for a problem without a fix or without an inventory for VF choices', () => {
    const text = iface(`${MAC}  <source>\n    <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'/>\n  </source>\n`);
    const problems = validate(text, context82576()).filter((p) => p.code === 'vf-in-use');
    assert.deepEqual(fixActions(text, problems[0].span, problems, {}), []);
  });
});
