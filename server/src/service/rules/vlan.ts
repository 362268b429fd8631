// <vlan> of an <interface type='hostdev'>, of an <interface type='network'> and of a <network> or its
// <portgroup> (the same parser). Mirrors libvirt's
//  - virNetDevVlanParse (src/conf/netdev_vlan_conf.c): the define-time rules (tag ids base 10,
//    0..4095, nativeMode, trunk yes/no);
//  - virNetDevSetNetConfig (src/util/virnetdev.c): at start a VF takes exactly one tag and no
//    trunk ("vlan trunking is not supported by SR-IOV network devices"); nativeMode is ignored;
//  - virHostdevSetNetConfig (src/hypervisor/virhostdev.c): vlan together with a virtualport fails.
// Only the first <vlan> is read (virXPathNode("./vlan")); <vlan> inside a plain <hostdev> is
// ignored by the parser (elements.ts).
import type { Span } from '../types';
import type { XmlElement } from '../xml/types';
import {
  attribute,
  attributeCount,
  attributeSpan,
  attributeValue,
  children,
  failsAtStart,
  readDecimal,
  rejects as rejectsAtDefine,
  type DeviceFacts,
  type Report,
} from './common';

export interface VlanCheck {
  /** the <vlan> ends up on an SR-IOV VF (a hostdev interface, a hostdev pool): the start-time rules apply */
  vf: boolean;
  /** the <virtualport> that comes with it on the same VF, if any */
  virtualport: XmlElement | null;
  /** how a define-time refusal is worded (net-define for a <network>) */
  rejects?: typeof rejectsAtDefine;
}

/** the largest <tag id> virNetDevVlanParse takes */
const MAX_VLAN_ID = 4095;

/** a <tag id> as virNetDevVlanParse takes it: a decimal 0..4095; null for anything else (checkVlanElement says why) */
export function vlanTagId(raw: string | null): number | null {
  const value = raw === null ? null : readDecimal(raw);
  return value !== null && value <= MAX_VLAN_ID ? value : null;
}

function vfTrunkMessage(): string {
  return failsAtStart(
    'VLAN trunking on a VF',
    'vlan trunking is not supported by SR-IOV network devices',
    'A VF takes exactly one <tag> and no trunk.',
  );
}

export function checkVlan(facts: DeviceFacts, report: Report): void {
  const { device } = facts;
  if (device.kind !== 'interface' || !device.vlan) return;
  if (!device.virtualport && isPlainVfTag(device.vlan)) return;
  checkVlanElement(device.vlan, report, { vf: true, virtualport: device.virtualport });
}

const VLAN_ID_DIGITS = /^[0-9]{1,4}$/;

/** <vlan><tag id='N'/></vlan> with N in 0..4095 written in plain digits: what nearly every VF has, and all of it fine. */
function isPlainVfTag(vlan: XmlElement): boolean {
  if (attributeCount(vlan) !== 0 || vlan.children.length !== 1) return false;
  const tag = vlan.children[0];
  if (tag.name !== 'tag' || attributeCount(tag) !== 1) return false;
  const id = attributeValue(tag, 'id');
  return id !== null && VLAN_ID_DIGITS.test(id) && Number(id) <= MAX_VLAN_ID;
}

/** One <vlan>: virNetDevVlanParse always; with `vf`, what a VF takes at start. */
export function checkVlanElement(vlan: XmlElement, report: Report, check: VlanCheck): void {
  const rejects = check.rejects ?? rejectsAtDefine;

  const tags = children(vlan, 'tag');
  if (tags.length === 0) {
    report.add(
      'vlan-tag',
      'error',
      vlan.nameSpan,
      rejects('<vlan> without a <tag>', "XML error: missing tag id - each <vlan> must have at least one <tag id='n'/> subelement"),
    );
  }
  /** spans of the valid nativeMode values (allocated for the first one) */
  let natives: Span[] | null = null;
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i];
    const id = attribute(tag, 'id');
    if (!id || id.value === null) {
      if (!id)
        report.add(
          'vlan-tag',
          'error',
          tag.nameSpan,
          rejects('VLAN <tag> without an id', "XML error: Missing required attribute 'id' in element 'tag'"),
        );
    } else {
      const value = readDecimal(id.value);
      if (value === null) {
        report.add(
          'vlan-tag',
          'error',
          attributeSpan(id),
          rejects(
            `VLAN id '${id.value}' is not a decimal number`,
            `XML error: Invalid value for attribute 'id' in element 'tag': '${id.value}'. Expected non-negative integer value`,
            'VLAN ids are plain decimal numbers (no 0x).',
          ),
        );
      } else if (value > MAX_VLAN_ID) {
        report.add(
          'vlan-tag',
          'error',
          attributeSpan(id),
          rejects(`VLAN id ${value} is above ${MAX_VLAN_ID}`, `XML error: vlan tag id ${value} too large (maximum ${MAX_VLAN_ID})`),
        );
      }
    }
    const native = attribute(tag, 'nativeMode');
    if (native && native.value !== null) {
      if (native.value !== 'tagged' && native.value !== 'untagged') {
        report.add(
          'vlan-tag',
          'error',
          attributeSpan(native),
          rejects(
            `Unknown nativeMode '${native.value}'`,
            `XML error: Invalid value for attribute 'nativeMode' in element 'tag': '${native.value}'.`,
            "Use 'tagged' or 'untagged'.",
          ),
        );
        continue;
      }
      if (natives !== null) {
        report.add('vlan-tag', 'error', attributeSpan(native), rejects('A second native VLAN', 'XML error: duplicate native vlan setting'));
        continue;
      }
      natives = [attributeSpan(native)];
    }
  }

  const trunk = attribute(vlan, 'trunk');
  const trunkWritten = trunk?.value ?? null;
  // virNetDevVlanParse compares with STRCASEEQ: trunk='YES' is yes (virsh dumpxml writes trunk='yes')
  const lower = trunkWritten?.toLowerCase() ?? null;
  const trunkValue = lower === 'yes' || lower === 'no' ? lower : trunkWritten;
  if (trunk && trunkValue !== null) {
    if (trunkValue !== 'yes' && trunkValue !== 'no') {
      report.add(
        'vlan-trunk',
        'error',
        attributeSpan(trunk),
        rejects(`trunk='${trunkValue}' is not yes/no`, `XML error: invalid "trunk='${trunkValue}'" in <vlan> - must be yes or no`),
      );
    } else if (trunkValue === 'no' && tags.length > 1) {
      report.add(
        'vlan-trunk',
        'error',
        attributeSpan(trunk),
        rejects(
          `trunk='${trunkWritten}' with ${tags.length} VLAN tags`,
          `XML error: invalid "trunk='${trunkWritten}'" in <vlan> - trunk='yes' is required for more than one vlan tag`,
          'A VF takes a single tag anyway: keep one <tag>.',
        ),
      );
    } else if (trunkValue === 'no' && natives !== null) {
      report.add(
        'vlan-trunk',
        'error',
        attributeSpan(trunk),
        rejects(
          "trunk='no' with a native VLAN",
          `XML error: invalid configuration in <vlan> - "trunk='no'" is not allowed with a native vlan id`,
        ),
      );
    }
  }

  if (!check.vf) return;
  // Runtime: virNetDevSetNetConfig refuses nTags != 1 || trunk.
  const trunkNoError = trunkValue === 'no' && (tags.length > 1 || natives !== null);
  if (!trunkNoError) {
    if (trunkValue === 'yes') report.add('vlan-trunk', 'error', attributeSpan(trunk!), vfTrunkMessage());
    else if (tags.length > 1) report.add('vlan-trunk', 'error', tags[1].nameSpan, vfTrunkMessage());
  }

  if (!trunkNoError && tags.length <= 1 && natives !== null) {
    for (const span of natives) {
      report.add(
        'vlan-native-mode',
        'warning',
        span,
        'nativeMode has no effect on an SR-IOV VF — libvirt programs only the tag id into the VF (virNetDevSetNetConfig) and ignores nativeMode.',
      );
    }
  }

  if (check.virtualport) {
    const vpType = attributeValue(check.virtualport, 'type') || '802.1Qbh';
    report.add(
      'vlan-virtualport',
      'error',
      vlan.nameSpan,
      failsAtStart(
        'VLAN and <virtualport> together',
        `direct setting of the vlan tag is not allowed for hostdev devices using ${vpType} mode`,
        'Use either <vlan> or <virtualport>, not both.',
      ),
    );
  }
}
