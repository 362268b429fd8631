// What validation keeps per device between runs: its facts (the host address read once) and the
// problems of the rules that look at that device alone. A partial re-parse (incremental.ts) keeps the
// model of every device it did not parse again, so a keystroke re-checks only the edited device; the
// problems are kept relative to the device and moved with it. The local rules also read the guest's
// <domain type> and <os arch>: an edit there is never parsed partially, so every device gets a new
// model (and new results) then.
import type { AddressCache } from './address';
import type { DeviceModel } from './modelTypes';
import { deviceFacts, type DeviceFacts } from './rules/common';
import type { Problem } from './types';

interface Entry {
  facts: DeviceFacts;
  /** where the device started when `local` was computed */
  base: number;
  /** the device-local problems; null until first asked */
  local: Problem[] | null;
}

export class DeviceResults {
  private readonly entries = new WeakMap<DeviceModel, Entry>();

  constructor(private readonly addresses: AddressCache) {}

  facts(device: DeviceModel): DeviceFacts {
    return this.entry(device).facts;
  }

  /**
   * The device's own problems (computed by `check` into a list, once per device model), with spans
   * at the device's current place.
   */
  local(device: DeviceModel, check: (facts: DeviceFacts, into: Problem[]) => void): Problem[] {
    const entry = this.entry(device);
    const start = device.element.start;
    if (entry.local === null) {
      const found: Problem[] = [];
      check(entry.facts, found);
      // own span objects: the tree's spans move in place when an edit before them is parsed
      entry.local = found.map((p) => ({ ...p, span: { start: p.span.start, end: p.span.end } }));
      entry.base = start;
    } else if (entry.base !== start) {
      const delta = start - entry.base;
      entry.local = entry.local.map((p) => ({ ...p, span: { start: p.span.start + delta, end: p.span.end + delta } }));
      entry.base = start;
    }
    return entry.local;
  }

  private entry(device: DeviceModel): Entry {
    let entry = this.entries.get(device);
    if (!entry) {
      entry = { facts: deviceFacts(device, this.addresses), base: device.element.start, local: null };
      this.entries.set(device, entry);
    }
    return entry;
  }
}
