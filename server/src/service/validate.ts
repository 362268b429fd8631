// Every diagnostic for a document: the parser's xml-syntax problems, then each rule family over
// the devices (one file per family under rules/, each naming the libvirt function it mirrors),
// then, with an inventory, the host checks. One parse, one pass over the devices; the language
// service keeps the inventory index per snapshot, so re-validating while typing only pays for the
// document.
import { buildDocumentModel } from './model';
import type { DocumentModel } from './modelTypes';
import type { InventoryUnavailable, Problem, ServiceContext } from './types';
import { splitInlineSuppressions, type SuppressedProblem } from './suppressions';
import { Report, deviceFacts, type DeviceFacts } from './rules/common';
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

/** The document's problems, without those an inline disable-next-line comment takes off. */
export function validate(text: string, context: ServiceContext = {}): Problem[] {
  return validateWithSuppressions(text, context).problems;
}

/** validate(), and what the inline comments took off (the CLI reports those, never silently drops them). */
export function validateWithSuppressions(
  text: string,
  context: ServiceContext = {},
): { problems: Problem[]; suppressed: SuppressedProblem[] } {
  return splitInlineSuppressions(text, validateModel(buildDocumentModel(text), context));
}

/** validate() for a document the language service parsed. */
export function validateDocument(model: DocumentModel, context: ServiceContext = {}): Problem[] {
  return splitInlineSuppressions(model.text, validateModel(model, context)).problems;
}

export function validateModel(model: DocumentModel, context: ServiceContext = {}): Problem[] {
  const report = new Report();
  const kept = context.caches?.devices ?? null;
  const facts = kept ? model.devices.map((device) => kept.facts(device)) : model.devices.map((device) => deviceFacts(device));
  const local: Problem[] = [];
  const checkLocal = (f: DeviceFacts, into: Problem[]): void => checkDevice(f, model, into);
  for (const f of facts) {
    if (kept) for (const p of kept.problems(f.device, 'local', NO_KEY, checkLocal)) local.push(p);
    else checkDevice(f, model, local);
  }
  checkDuplicateAddresses(facts, report, model.xml.text);
  const guests = guestsOf(model);
  checkGuestAddresses(guests, new Set(model.devices.map((d) => d.element)), report, context.caches?.addresses ?? null);
  checkDeviceTypes(model, guests, report);
  checkOtherDevices(guests, report);
  checkControllerBuses(guests, report);
  const collected = collectDeviceChildren(model);
  checkDeviceInfo(guests, collected, report);
  checkDuplicateMacs(collected, report);
  checkDuplicateBootOrders(collected, report);
  checkDuplicateAliases(collected, report);
  const index = indexOf(context);
  const pools = hostdevPoolNames(index);
  for (const iface of networkInterfaces(model)) checkNetworkInterface(iface, pools, report);
  checkNetworkDefinition(model, report);
  if (index) {
    const inventory = checkInventory(model, facts, index, report, context.now);
    // per device: its results hold while the snapshot, the guest's name, the inventory's age in words
    // and the addresses the document assigns do
    const key = [index, inventory.ownGuest, inventory.age, kept ? kept.intern(inventory.assignedKey) : inventory.assignedKey];
    for (const f of facts) {
      if (kept) for (const p of kept.problems(f.device, 'inventory', key, inventory.checkDevice)) report.problems.push(p);
      else inventory.checkDevice(f, report.problems);
    }
    checkNetworkOnHost(model, index, report);
  }
  if (context.inventoryUnavailable && model.devices.length > 0)
    reportInventoryUnavailable(model, context, context.inventoryUnavailable, report);
  return sortProblems([...model.xml.problems, ...local, ...report.problems]);
}

const NO_KEY: readonly unknown[] = [];

/** The rules that look at one device alone (and the guest's <domain type> and <os arch>). */
function checkDevice(f: DeviceFacts, model: DocumentModel, into: Problem[]): void {
  const report = new Report(into);
  checkSourceAddress(f, report);
  checkGuestAddress(f, report);
  checkManaged(f, report);
  checkDriver(f, model, report);
  checkMac(f, report);
  checkVlan(f, report);
  checkVirtualport(f, report);
  checkElements(f, report);
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
 * One information problem on the first line when the inventory cannot be read, saying why. Only where
 * it matters: an XML file without a hostdev device loses nothing without the host.
 */
function reportInventoryUnavailable(model: DocumentModel, context: ServiceContext, why: InventoryUnavailable, report: Report): void {
  const what = why.source === 'file' ? 'Inventory snapshot' : `Host ${why.host ?? ''}`.trim();
  const fallback = context.inventory
    ? `Checks against the host use the last good inventory (${takenAgo(context.inventory.takenAt, context.now)}).`
    : 'Checks against the host (VF exists, in use, IOMMU group, driver) are skipped.';
  const text = model.text;
  const end = text.indexOf('\n');
  report.add(
    'inventory-unavailable',
    'information',
    { start: 0, end: end === -1 ? Math.min(text.length, 200) : end },
    why.restricted
      ? `${what} not used in Restricted Mode — ${why.error ?? 'the workspace is not trusted'}. ${fallback} Trust the workspace to use it.`
      : `${what} unavailable — ${why.error ?? 'unknown reason'}. ${fallback}`,
  );
}
