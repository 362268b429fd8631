// Attribute values of a hostdev interface and its children that libvirt reads as a fixed set, case-
// sensitively: anything else refuses the whole device. Mirrors libvirt's virDomainNetDefParseXML
// (src/conf/domain_conf.c) through virXMLPropEnum / virXMLPropTristateBool (src/util/virxml.c:
// "Invalid value for attribute '%s' in element '%s': '%s'."), virNetworkPortOptionsParseXML
// (src/conf/network_conf.c) for <port isolated>, and its own check of <link state> ("unknown interface
// link state '%s'"), and virDomainNetSetModelString for a <model type> that names no model libvirt
// knows: letters, digits, '_' and '-' only (any interface type; networkInterface.ts asks too).
// Other families check their own attributes (type, managed, rom, vlan, virtualport …).
import type { XmlElement } from '../xml/types';
import type { DeviceModel } from '../modelTypes';
import {
  attribute,
  attributeSpan,
  attributeValue,
  firstChild,
  hasAttribute,
  hasChildIn,
  rejects,
  type DeviceFacts,
  type Report,
} from './common';

interface Choice {
  /** the child element, or null for the <interface> itself */
  element: 'mac' | 'target' | 'port' | 'link' | null;
  attribute: string;
  values: readonly string[];
  /** libvirt's message for a value outside the set, when it is not virXMLProp*'s */
  message?: (value: string) => string;
  /** read as an XPath string, where an empty value is no value (virXMLProp* refuse an empty one) */
  emptyIsAbsent?: true;
}

const YES_NO = ['yes', 'no'];

const CHOICES: Choice[] = [
  { element: null, attribute: 'trustGuestRxFilters', values: YES_NO },
  { element: 'mac', attribute: 'type', values: ['generated', 'static'] },
  { element: 'mac', attribute: 'check', values: YES_NO },
  { element: 'target', attribute: 'managed', values: YES_NO },
  { element: 'port', attribute: 'isolated', values: YES_NO },
  {
    element: 'link',
    attribute: 'state',
    values: ['up', 'down'],
    message: (value) => `unsupported configuration: unknown interface link state '${value}'`,
    emptyIsAbsent: true,
  },
];

/** the children whose attributes CHOICES reads, besides <mac> */
const CHOICE_CHILDREN: ReadonlySet<string> = new Set(
  CHOICES.flatMap((c) => (c.element === null || c.element === 'mac' ? [] : [c.element])),
);

/** An attribute of CHOICES is written (most hostdev interfaces have none: a MAC address only). */
function writesAChoice(device: DeviceModel): boolean {
  const { element, mac } = device;
  for (let i = 0; i < CHOICES.length; i++) {
    const choice = CHOICES[i];
    if (choice.element === null && hasAttribute(element, choice.attribute)) return true;
    if (choice.element === 'mac' && mac && hasAttribute(mac, choice.attribute)) return true;
  }
  return hasChildIn(element, CHOICE_CHILDREN);
}

/** A <model> whose type virDomainNetSetModelString refuses (libvirt reads the first <model>); an empty type is no model. */
export function modelNameRefused(model: XmlElement): boolean {
  const type = attributeValue(model, 'type');
  return type !== null && type !== '' && !MODEL_NAME.test(type);
}

const MODEL_NAME = /^[A-Za-z0-9_-]*$/;

/** An interface's <model type> with a character libvirt refuses in a model name. */
export function checkModelName(iface: XmlElement, report: Report): void {
  const model = firstChild(iface, 'model');
  if (!model || !modelNameRefused(model)) return;
  const type = attribute(model, 'type')!;
  report.add(
    'attribute-value',
    'error',
    attributeSpan(type),
    rejects(
      `<model type='${type.value}'> is not a valid model name`,
      'invalid argument: Model name contains invalid characters',
      "A model name is letters, digits, '_' and '-' only ('virtio', 'e1000e'); a VF needs no <model>.",
    ),
  );
}

export function checkAttributeValues(facts: DeviceFacts, report: Report): void {
  const { element, kind } = facts.device;
  if (kind !== 'interface') return;
  checkModelName(element, report);
  if (!writesAChoice(facts.device)) return;
  for (let i = 0; i < CHOICES.length; i++) {
    const choice = CHOICES[i];
    // libvirt reads the first of each child (virXPathNode)
    const holder: XmlElement | null =
      choice.element === null ? element : choice.element === 'mac' ? facts.device.mac : firstChild(element, choice.element);
    const written = holder ? attributeValue(holder, choice.attribute) : null;
    if (!holder || written === null || choice.values.includes(written) || (written === '' && choice.emptyIsAbsent)) continue;
    const attr = attribute(holder, choice.attribute)!;
    const meant = choice.values.find((v) => v === written.toLowerCase());
    report.add(
      'attribute-value',
      'error',
      attributeSpan(attr),
      rejects(
        `${choice.attribute}='${written}' on <${holder.name}> is not ${choice.values.map((v) => `'${v}'`).join(' or ')}`,
        choice.message?.(written) ??
          `XML error: Invalid value for attribute '${choice.attribute}' in element '${holder.name}': '${written}'.`,
        meant ? `Write '${meant}': libvirt reads it case-sensitively.` : undefined,
      ),
    );
  }
}
