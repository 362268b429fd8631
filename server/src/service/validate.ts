// Every diagnostic for a document: the parser's xml-syntax problems, then each rule family over
// the devices (one file per family under rules/, each naming the libvirt function it mirrors),
// then, with an inventory, the host checks. One parse, one pass over the devices; the language
// service keeps the inventory index per snapshot, so re-validating while typing only pays for the
// document.
import { AddressCache } from './address';
import { buildDocumentModel } from './model';
import type { DocumentModel } from './modelTypes';
import type { InventoryUnavailable, Problem, ServiceContext } from './types';
import type { XmlElement } from './xml/types';
import { LineTable } from './xml/lines';
import { splitInlineSuppressions, type SuppressedProblem } from './suppressions';
import { Report, deviceFacts, quotedName, type DeviceFacts } from './rules/common';
import { checkSourceAddress } from './rules/sourceAddress';
import { checkMac } from './rules/mac';
import { checkVlan } from './rules/vlan';
import { checkVirtualport } from './rules/virtualport';
import { checkDriver } from './rules/driver';
import { checkElements } from './rules/elements';
import { checkManaged } from './rules/managed';
import { checkGuestAddress } from './rules/guestAddress';
import {
  checkDuplicateAddresses,
  checkDuplicateAliases,
  checkDuplicateBootOrders,
  checkDuplicateMacs,
  collectDeviceChildren,
} from './rules/duplicates';
import { checkDeviceOptions } from './rules/deviceOptions';
import { checkGuestAddresses } from './rules/guestAddresses';
import { guestsOf } from './rules/guests';
import { checkDeviceInfo } from './rules/deviceInfo';
import { checkDeviceTypes } from './rules/deviceTypes';
import { checkOtherDevices } from './rules/otherDevices';
import { checkAttributeValues } from './rules/attributeValues';
import { checkControllerBuses } from './rules/controllerBuses';
import { checkInventory } from './rules/inventory';
import { indexOf } from './inventoryIndex';
import { takenAgo } from '../../../shared/age';
import { networkInterfaces } from './rules/networkPool';
import { checkNetworkInterface, hostdevPoolNames } from './rules/networkInterface';
import { checkNetworkDefinition } from './rules/networkDefinition';
import { checkNetworkOnHost } from './rules/networkHost';
import { checkPortgroupsInUse } from './rules/networkGuests';
import { checkMemlockLimits } from './rules/memlockLimit';
import { checkMemorySizes } from './rules/memorySizes';
import { checkGuestNames } from './rules/guestName';
import { checkDefinitionUuid } from './rules/definitionUuid';
import { checkPoolPortVlan } from './rules/poolPortVlan';

/** The document's problems, without those an inline disable-next-line comment takes off. */
export function validate(text: string, context: ServiceContext = {}): Problem[] {
  return validateWithSuppressions(text, context).problems;
}

/**
 * validate(), and what the inline comments took off (the CLI reports those, never silently drops them),
 * with the text's line table for whoever turns the problems' offsets into lines and columns.
 */
export function validateWithSuppressions(
  text: string,
  context: ServiceContext = {},
): { problems: Problem[]; suppressed: SuppressedProblem[]; lines: LineTable } {
  const lines = new LineTable(text);
  return { ...splitInlineSuppressions(lines, validateModel(buildDocumentModel(text), context)), lines };
}

/** validate() for a document the language service parsed. */
export function validateDocument(model: DocumentModel, context: ServiceContext = {}): Problem[] {
  return splitInlineSuppressions(new LineTable(model.text), validateModel(model, context)).problems;
}

export function validateModel(model: DocumentModel, context: ServiceContext = {}): Problem[] {
  const report = new Report();
  const kept = context.caches?.devices ?? null;
  // a one-off run gets its own address cache: the same few number spellings repeat on every device,
  // and a device's guest address is read once for its own rules and the guest-wide ones
  const addresses = context.caches?.addresses ?? new AddressCache();
  const devices = model.devices;
  const facts: DeviceFacts[] = new Array(devices.length);
  for (let i = 0; i < devices.length; i++) facts[i] = kept ? kept.facts(devices[i]) : deviceFacts(devices[i], addresses);
  const local: Problem[] = [];
  if (kept) {
    const checkLocal = (f: DeviceFacts, into: Problem[]): void => checkDevice(f, model, into);
    for (let i = 0; i < facts.length; i++) {
      const problems = kept.problems(facts[i].device, 'local', NO_KEY, checkLocal);
      for (let j = 0; j < problems.length; j++) local.push(problems[j]);
    }
  } else {
    for (let i = 0; i < facts.length; i++) checkDevice(facts[i], model, local);
  }
  checkDuplicateAddresses(model, facts, report);
  const guests = guestsOf(model);
  const passthrough = new Set<XmlElement>();
  for (let i = 0; i < devices.length; i++) passthrough.add(devices[i].element);
  checkGuestAddresses(guests, passthrough, report, addresses);
  checkDeviceTypes(model, guests, report);
  checkOtherDevices(guests, report);
  checkControllerBuses(guests, report);
  const collected = collectDeviceChildren(model, guests);
  checkDeviceInfo(guests, collected, report);
  checkDuplicateMacs(collected, report);
  checkDuplicateBootOrders(collected, report);
  checkDuplicateAliases(collected, report);
  const index = indexOf(context);
  const pools = hostdevPoolNames(index);
  const networkIfaces = networkInterfaces(model);
  for (let i = 0; i < networkIfaces.length; i++) checkNetworkInterface(networkIfaces[i], model, pools, report);
  checkGuestNames(guests, model.text, report);
  checkMemorySizes(guests, model.text, report);
  checkMemlockLimits(guests, model.text, pools, report);
  checkNetworkDefinition(model, report);
  if (index) {
    const inventory = checkInventory(model, facts, networkIfaces, index, report, context.now);
    if (kept) {
      // per device: its results hold while the snapshot, the guest's name, the inventory's age in words
      // and the addresses the document assigns do
      const key = [index, inventory.ownGuest, inventory.age, kept.intern(inventory.assignedKey())];
      for (let i = 0; i < facts.length; i++) {
        const problems = kept.problems(facts[i].device, 'inventory', key, inventory.checkDevice);
        for (let j = 0; j < problems.length; j++) report.problems.push(problems[j]);
      }
    } else {
      for (let i = 0; i < facts.length; i++) inventory.checkDevice(facts[i], report.problems);
    }
    for (let i = 0; i < networkIfaces.length; i++) checkPoolPortVlan(networkIfaces[i], index, report);
    checkNetworkOnHost(model, index, report);
    checkPortgroupsInUse(model, index, report);
    checkDefinitionUuid(model, index, report);
  }
  if (context.inventoryUnavailable && model.devices.length > 0)
    reportInventoryUnavailable(model, context, context.inventoryUnavailable, report);
  // one problem per offset, as the parser keeps them: where it has one (text after the root element),
  // libxml2 stops there with the parser's message
  const decoding = context.decodingProblems?.filter((d) => !model.xml.problems.some((p) => p.span.start === d.span.start)) ?? NO_PROBLEMS;
  // concat, not a spread: spreading steps an iterator, an object per problem until V8 optimizes it
  return sortProblems(model.xml.problems.concat(decoding, local, report.problems));
}

const NO_KEY: readonly unknown[] = [];
const NO_PROBLEMS: readonly Problem[] = [];

/** The rules that look at one device alone (and the guest's <domain type> and <os arch>). */
function checkDevice(f: DeviceFacts, model: DocumentModel, into: Problem[]): void {
  const report = new Report(into);
  checkSourceAddress(f, model, report);
  checkGuestAddress(f, report);
  checkManaged(f, report);
  checkDriver(f, model, report);
  checkMac(f, report);
  checkVlan(f, report);
  checkVirtualport(f, report);
  checkElements(f, model, report);
  checkDeviceOptions(f, report);
  checkAttributeValues(f, report);
}

/** By position; at one position errors first, then by code, so the order is stable for tests and the CLI. */
function sortProblems(problems: Problem[]): Problem[] {
  const rank = { error: 0, warning: 1, information: 2, hint: 3 } as const;
  return problems.sort(
    (a, b) =>
      a.span.start - b.span.start ||
      a.span.end - b.span.end ||
      rank[a.severity] - rank[b.severity] ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

/**
 * One information problem on the first line when the inventory cannot be read, saying why (a warning when
 * the host's key was refused: another than the one known, or one not accepted). Only where it matters: an XML file without a hostdev
 * device loses nothing without the host.
 */
function reportInventoryUnavailable(model: DocumentModel, context: ServiceContext, why: InventoryUnavailable, report: Report): void {
  const what = why.source === 'file' ? 'Inventory snapshot' : why.host ? `Host ${quotedName(why.host)}` : 'Host';
  const fallback = context.inventory
    ? `Checks against the host use the last good inventory (${takenAgo(context.inventory.takenAt, context.now)}).`
    : 'Checks against the host (VF exists, in use, IOMMU group, driver) are skipped.';
  const text = model.text;
  const end = text.indexOf('\n');
  report.add(
    'inventory-unavailable',
    why.hostKeyRefused ? 'warning' : 'information',
    { start: 0, end: end === -1 ? Math.min(text.length, 200) : end },
    why.restricted
      ? `${what} not used in Restricted Mode — ${why.error ?? 'the workspace is not trusted'}. ${fallback} Trust the workspace to use it.`
      : `${what} unavailable — ${why.error ?? 'unknown reason'}. ${fallback}`,
  );
}
