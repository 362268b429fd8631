// What validation keeps per device between runs: its facts (the host address read once) and the
// problems of the rules that look at that device alone, or at it and a few document-wide values (the
// inventory, the guest's name, the addresses the document assigns). A partial re-parse
// (incremental.ts) keeps the model of every device it did not parse again, so a keystroke re-checks
// only the edited device, unless one of those values changed. Problems are kept relative to the
// device and moved with it. The local rules also read the guest's <domain type> and <os arch>: an
// edit there is never parsed partially, so every device gets a new model (and new results) then.
import type { AddressCache } from './address';
import type { DeviceModel } from './modelTypes';
import { deviceFacts, type DeviceFacts } from './rules/common';
import type { Problem } from './types';

/** The rule sets whose results are kept per device. */
export type DeviceCheck = 'local' | 'inventory';

/**
 * What is kept of one device: its facts, and per rule set the values its problems were computed for
 * (compared one by one with ===), where the device started then, and the problems. Flat fields rather
 * than an object per rule set: a large domain keeps one entry per device.
 */
interface Entry {
  facts: DeviceFacts;
  localKey: readonly unknown[] | null;
  localBase: number;
  localProblems: Problem[];
  inventoryKey: readonly unknown[] | null;
  inventoryBase: number;
  inventoryProblems: Problem[];
}

/** the results of most devices: shared, never changed */
const NO_PROBLEMS: Problem[] = [];
Object.freeze(NO_PROBLEMS);

export class DeviceResults {
  private entries = new WeakMap<DeviceModel, Entry>();

  /** the last key string handed to intern() */
  private recentKey = '';

  /** what a check fills, copied out only when it found something */
  private readonly found: Problem[] = [];

  constructor(private readonly addresses: AddressCache) {}

  /**
   * The same string object as last time when the text is equal: keys are compared with ===, and a
   * long key (every assigned address) compared by content once per device would cost more than it saves.
   */
  intern(key: string): string {
    if (key === this.recentKey) return this.recentKey;
    this.recentKey = key;
    return key;
  }

  /** Drops everything kept (see ServiceCaches.forgetDocuments). */
  forget(): void {
    this.entries = new WeakMap();
  }

  facts(device: DeviceModel): DeviceFacts {
    return this.entry(device).facts;
  }

  /**
   * The problems `check` finds for the device (computed at most once per device model and `key`),
   * with spans at the device's current place.
   */
  problems(
    device: DeviceModel,
    which: DeviceCheck,
    key: readonly unknown[],
    check: (facts: DeviceFacts, into: Problem[]) => void,
  ): Problem[] {
    const entry = this.entry(device);
    const start = device.element.start;
    const local = which === 'local';
    const keptKey = local ? entry.localKey : entry.inventoryKey;
    if (keptKey === null || !sameKey(keptKey, key)) {
      const found = this.found;
      found.length = 0;
      check(entry.facts, found);
      // own span objects: a result must not change when the tree moves
      const problems = found.length === 0 ? NO_PROBLEMS : found.map((p) => ({ ...p, span: { start: p.span.start, end: p.span.end } }));
      found.length = 0;
      if (local) {
        entry.localKey = key;
        entry.localBase = start;
        entry.localProblems = problems;
      } else {
        entry.inventoryKey = key;
        entry.inventoryBase = start;
        entry.inventoryProblems = problems;
      }
      return problems;
    }
    const base = local ? entry.localBase : entry.inventoryBase;
    let problems = local ? entry.localProblems : entry.inventoryProblems;
    if (base !== start) {
      const delta = start - base;
      if (problems.length > 0) problems = problems.map((p) => ({ ...p, span: { start: p.span.start + delta, end: p.span.end + delta } }));
      if (local) {
        entry.localBase = start;
        entry.localProblems = problems;
      } else {
        entry.inventoryBase = start;
        entry.inventoryProblems = problems;
      }
    }
    return problems;
  }

  private entry(device: DeviceModel): Entry {
    let entry = this.entries.get(device);
    if (!entry) {
      entry = {
        facts: deviceFacts(device, this.addresses),
        localKey: null,
        localBase: 0,
        localProblems: NO_PROBLEMS,
        inventoryKey: null,
        inventoryBase: 0,
        inventoryProblems: NO_PROBLEMS,
      };
      this.entries.set(device, entry);
    }
    return entry;
  }
}

function sameKey(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
