// <virtualport> of an <interface type='hostdev'>, of an <interface type='network'> and of a <network>.
// Mirrors libvirt's
//  - virNetDevVPortProfileParse (src/conf/netdev_vport_profile_conf.c), called for hostdev with
//    REQUIRE_TYPE | REQUIRE_ALL_ATTRIBUTES | GENERATE_MISSING_DEFAULTS, for type='network' with
//    GENERATE_MISSING_DEFAULTS only (the network may add the type), for a <network> with
//    REQUIRE_TYPE: every parameter value is parsed whatever the type, then
//  - virNetDevVPortProfileCheckComplete / virNetDevVPortProfileCheckNoExtras
//    (src/util/virnetdevvportprofile.c) per type;
//  - virHostdevNetConfigVirtPortProfile (src/hypervisor/virhostdev.c): at start only 802.1Qbh works
//    on a hostdev interface;
//  - networkAllocatePort (src/network/bridge_driver.c): a hostdev pool takes 802.1Qbg/802.1Qbh only.
// Only the first <virtualport> and its first <parameters> are read. Behaviour checked against
// libvirt 9.0's test driver (midonet silently drops extra parameters).
import {
  attribute,
  attributeSpan,
  failsAtStart,
  firstChild,
  readUuid,
  rejects as rejectsAtDefine,
  type DeviceFacts,
  type Report,
} from './common';
import type { XmlAttribute, XmlElement } from '../xml/types';

type VirtualportType = '802.1Qbg' | '802.1Qbh' | 'openvswitch' | 'midonet';
type Parameter = 'managerid' | 'typeid' | 'typeidversion' | 'instanceid' | 'profileid' | 'interfaceid';

const PARAMETERS: readonly Parameter[] = ['managerid', 'typeid', 'typeidversion', 'instanceid', 'profileid', 'interfaceid'];

/** CheckComplete (required, in libvirt's order) and CheckNoExtras per type. */
const TYPE_RULES: Record<VirtualportType, { required: Parameter[]; extra: Parameter[] }> = {
  '802.1Qbg': { required: ['managerid', 'typeid', 'typeidversion'], extra: ['profileid', 'interfaceid'] },
  '802.1Qbh': { required: ['profileid'], extra: ['managerid', 'typeid', 'typeidversion', 'instanceid', 'interfaceid'] },
  openvswitch: { required: [], extra: ['managerid', 'typeid', 'typeidversion', 'instanceid'] },
  midonet: { required: ['interfaceid'], extra: [] },
};

const MAX_PROFILEID_LENGTH = 39;

function isVirtualportType(value: string): value is VirtualportType {
  return Object.prototype.hasOwnProperty.call(TYPE_RULES, value);
}

const LEADING_BLANKS = /^[ \t\n\v\f\r]+/;
const SIGNED_HEX = /^([+-]?)0[xX]([0-9a-fA-F]+)$/;
const SIGNED_OCTAL = /^([+-]?)(0[0-7]*)$/;
const SIGNED_DECIMAL = /^([+-]?)([1-9][0-9]*)$/;

/** virStrToLong_ui with base 0 (strtoul): '-1' parses and wraps, so libvirt calls it out of range. */
function parseUnsigned(raw: string): number | 'invalid' | 'negative' {
  const s = raw.replace(LEADING_BLANKS, '');
  let m: RegExpExecArray | null;
  if ((m = SIGNED_HEX.exec(s))) return m[1] === '-' ? 'negative' : parseInt(m[2], 16);
  if ((m = SIGNED_OCTAL.exec(s))) return m[1] === '-' && m[2] !== '0' ? 'negative' : parseInt(m[2], 8);
  if ((m = SIGNED_DECIMAL.exec(s))) return m[1] === '-' ? 'negative' : parseInt(m[2], 10);
  return 'invalid';
}

export interface VirtualportCheck {
  /** the parser wants a type (hostdev interface, <network>) */
  requireType: boolean;
  /** the parser wants every parameter of the type (hostdev interface only) */
  requireAll: boolean;
  /** where the profile ends up: on a hostdev interface's VF, on a VF of the named pool, or not known */
  vf: 'interface' | { pool: string } | null;
  /** how a define-time refusal is worded (net-define for a <network>) */
  rejects?: typeof rejectsAtDefine;
}

export function checkVirtualport(facts: DeviceFacts, report: Report): void {
  const { device } = facts;
  if (device.kind !== 'interface' || !device.virtualport) return;
  checkVirtualportElement(device.virtualport, report, { requireType: true, requireAll: true, vf: 'interface' });
}

export function checkVirtualportElement(vp: XmlElement, report: Report, check: VirtualportCheck): void {
  const rejects = check.rejects ?? rejectsAtDefine;
  const typeAttr = attribute(vp, 'type');
  const type = typeAttr?.value ?? null;
  const parameters = firstChild(vp, 'parameters');
  const specified = parameters ? checkParameterValues(parameters, report, rejects) : new Map<Parameter, XmlAttribute>();

  if (!typeAttr || type === null) {
    if (!typeAttr && check.requireType) {
      report.add(
        'virtualport-type',
        'error',
        vp.nameSpan,
        rejects(
          '<virtualport> without a type',
          'XML error: missing required virtualport type',
          "A VF takes only <virtualport type='802.1Qbh'>.",
        ),
      );
    }
    return;
  }
  if (!isVirtualportType(type)) {
    report.add(
      'virtualport-type',
      'error',
      attributeSpan(typeAttr),
      rejects(
        `Unknown virtualport type '${type}'`,
        `unsupported configuration: unknown virtualport type ${type}`,
        "A VF takes only type='802.1Qbh'.",
      ),
    );
    return;
  }
  if (check.vf !== null && typeof check.vf === 'object' && type !== '802.1Qbh' && type !== '802.1Qbg') {
    const pool = check.vf.pool;
    report.add(
      'virtualport-type',
      'error',
      attributeSpan(typeAttr),
      failsAtStart(
        `Virtualport type ${type} does not work on a pool's VF`,
        `unsupported configuration: <virtualport type='${type}'> not supported for network '${pool}' which uses an SR-IOV Virtual Function via PCI passthrough`,
        'Only 802.1Qbh works with an SR-IOV VF; for VLANs use <vlan>.',
      ),
    );
  } else if (check.vf !== null && type !== '802.1Qbh') {
    report.add(
      'virtualport-type',
      'error',
      attributeSpan(typeAttr),
      failsAtStart(
        `Virtualport type ${type} does not work on a VF`,
        `virtualport type ${type} is currently not supported on interfaces of type hostdev`,
        'Only 802.1Qbh works with an SR-IOV VF; for VLANs use <vlan>.',
      ),
    );
  }

  const rules = TYPE_RULES[type];
  for (const name of check.requireAll ? rules.required : []) {
    if (specified.has(name)) continue;
    report.add(
      'virtualport-parameters',
      'error',
      (parameters ?? vp).nameSpan,
      rejects(`Virtualport ${type} needs ${name}`, `XML error: missing ${name} in <virtualport type='${type}'>`),
    );
  }
  for (const name of rules.extra) {
    const attr = specified.get(name);
    if (!attr) continue;
    report.add(
      'virtualport-parameters',
      'error',
      attributeSpan(attr),
      rejects(`Virtualport ${type} takes no ${name}`, `XML error: extra ${name} unsupported in <virtualport type='${type}'>`),
    );
  }
}

/**
 * The value checks virNetDevVPortProfileParse makes for every type. Returns the parameters libvirt
 * counts as specified (an empty profileid is not).
 */
function checkParameterValues(parameters: XmlElement, report: Report, rejects: typeof rejectsAtDefine): Map<Parameter, XmlAttribute> {
  const specified = new Map<Parameter, XmlAttribute>();
  for (const name of PARAMETERS) {
    const attr = attribute(parameters, name);
    if (!attr || attr.value === null) continue;
    const raw = attr.value;
    const span = attributeSpan(attr);
    if (name === 'managerid' || name === 'typeid' || name === 'typeidversion') {
      const limit = name === 'typeid' ? 0xffffff : 0xff;
      const value = parseUnsigned(raw);
      if (value === 'invalid') {
        report.add(
          'virtualport-parameters',
          'error',
          span,
          rejects(`${name}='${raw}' is not a number`, `XML error: cannot parse value of ${name} parameter`),
        );
      } else if (value === 'negative' || value > limit) {
        const text = name === 'typeid' ? 'value for typeid out of range' : `value of ${name} out of range`;
        report.add(
          'virtualport-parameters',
          'error',
          span,
          rejects(`${name}='${raw}' is out of range`, `XML error: ${text}`, `The range is 0..${limit === 0xff ? 255 : '0xFFFFFF'}.`),
        );
      }
      specified.set(name, attr);
    } else if (name === 'instanceid' || name === 'interfaceid') {
      if (readUuid(raw) === null) {
        report.add(
          'virtualport-parameters',
          'error',
          span,
          rejects(`${name}='${raw}' is not a UUID`, `XML error: cannot parse ${name} parameter as a uuid`),
        );
      }
      specified.set(name, attr);
    } else {
      if (raw.length > MAX_PROFILEID_LENGTH) {
        report.add(
          'virtualport-parameters',
          'error',
          span,
          rejects(
            `profileid is too long (${raw.length} characters, at most ${MAX_PROFILEID_LENGTH})`,
            'XML error: profileid parameter too long',
          ),
        );
      }
      if (raw.length > 0) specified.set(name, attr);
    }
  }
  return specified;
}
