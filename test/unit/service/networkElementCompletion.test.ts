import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { complete } from '../../../server/src/service/index';
import { HOSTDEV_REFUSED_ELEMENTS } from '../../../server/src/service/rules/networkDefinition';
import type { CompletionCandidate, ServiceContext } from '../../../server/src/service/types';
import { context82576, cursor } from './helpers';

function completeAt(marked: string, ctx: ServiceContext = context82576()) {
  const { text, offset } = cursor(marked);
  return { text, items: complete(text, offset, ctx) };
}

const bySort = (items: CompletionCandidate[]) => [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
const elements = (items: CompletionCandidate[]) => bySort(items.filter((i) => i.kind === 'element')).map((i) => i.label);
const applyItem = (text: string, item: CompletionCandidate) => text.slice(0, item.span.start) + item.insertText + text.slice(item.span.end);
const pick = (items: CompletionCandidate[], label: string) => items.find((i) => i.kind === 'element' && i.label === label)!;

/** a hostdev pool named new-pool with `body` after its <forward> (holding `forward`) */
function pool(body: string, forward = "<pf dev='enp11s0f0'/>", mode = "mode='hostdev'"): string {
  return `<network>\n  <name>new-pool</name>\n  <forward ${mode}>\n    ${forward}\n  </forward>\n  ${body}\n</network>\n`;
}

describe('completion of element names in a network document', () => {
  it('offers the children a VF pool uses, none net-define refuses in a hostdev pool, those present left out but portgroups', () => {
    const { items } = completeAt(pool("<portgroup name='blue'/>\n  <|"));
    assert.deepEqual(elements(items), ['uuid', 'portgroup', 'vlan', 'virtualport']);
    const empty = completeAt('<network>\n  <|\n</network>\n', {}).items;
    assert.deepEqual(elements(empty), ['name', 'uuid', 'forward', 'portgroup', 'vlan', 'virtualport']);
    for (const refused of HOSTDEV_REFUSED_ELEMENTS) assert.ok(!empty.some((i) => i.label === refused), refused);
  });

  it('inserts each as a snippet with the attributes it needs, replacing what is typed', () => {
    const { text, items } = completeAt(pool('<port|'), {});
    const portgroup = pick(items, 'portgroup');
    assert.equal(portgroup.isSnippet, true);
    assert.equal(portgroup.filterText, '<portgroup');
    assert.equal(applyItem(text, portgroup), pool("<portgroup name='$1'>$0</portgroup>"));
    const forward = pick(completeAt('<network>\n  <|\n</network>\n').items, 'forward');
    assert.equal(forward.insertText, "<forward mode='hostdev' managed='yes'>\n\t$0\n</forward>");
  });

  it("offers a portgroup's <vlan> and <virtualport>, and a <vlan>'s one <tag id>", () => {
    assert.deepEqual(elements(completeAt(pool("<portgroup name='blue'>\n    <|\n  </portgroup>")).items), ['vlan', 'virtualport']);
    const { text, items } = completeAt(pool("<portgroup name='blue'>\n    <vlan><|</vlan>\n  </portgroup>"));
    assert.deepEqual(elements(items), ['tag']);
    assert.equal(applyItem(text, pick(items, 'tag')), pool("<portgroup name='blue'>\n    <vlan><tag id='$1'/></vlan>\n  </portgroup>"));
    // a VF takes one tag: a second one is trunking, which fails at start
    assert.deepEqual(elements(completeAt(pool("<vlan>\n    <tag id='42'/>\n    <|\n  </vlan>")).items), []);
  });

  it('offers no <vlan> or <virtualport> in a network of another kind, where net-define refuses a VLAN (NAT when <forward> names no mode)', () => {
    for (const mode of ["mode='nat'", "mode='route'", "mode='bridge'", '']) {
      const network = (portgroup: string, after: string) =>
        `<network>\n  <name>lan</name>\n  <forward ${mode}/>\n  <portgroup name='blue'>${portgroup}</portgroup>\n  ${after}\n</network>\n`;
      assert.deepEqual(elements(completeAt(network('<|', '')).items), [], mode);
      assert.deepEqual(elements(completeAt(network('', '<|')).items), ['uuid', 'portgroup'], mode);
    }
    // passthrough hands out VFs too (macvtap): both stay
    assert.deepEqual(elements(completeAt(pool('<|', "<pf dev='enp11s0f0'/>", "mode='passthrough'"), {}).items), [
      'uuid',
      'portgroup',
      'vlan',
      'virtualport',
    ]);
  });

  it("offers a hostdev <forward>'s <pf>, <address> and <driver> after the host's PFs and VFs, one source kind only", () => {
    const { items } = completeAt(pool('', '<|'));
    assert.deepEqual(elements(items), ['pf', 'address', 'driver']);
    assert.equal(bySort(items).at(-1)!.label, 'driver');
    assert.equal(pick(items, 'address').insertText, "<address type='pci' domain='0x0000' bus='$1' slot='$2' function='$3'/>");
    assert.deepEqual(elements(completeAt(pool('', "<pf dev='enp11s0f0'/>\n    <|")).items), ['driver']);
    const listed = "<address type='pci' domain='0' bus='11' slot='16' function='6'/>\n    <|";
    assert.deepEqual(elements(completeAt(pool('', listed)).items), ['address', 'driver']);
    assert.deepEqual(elements(completeAt(pool('', '<|', "mode='passthrough'"), {}).items), ['pf']);
  });
});
