// Shared by the editor-feature tests: `|` cursor markers and the 82576 inventory fixture.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Inventory, ServiceContext } from '../../../../server/src/service/types';

/** Strips the single `|` marker; returns the text and the marker's offset. */
export function cursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  if (offset < 0 || marked.indexOf('|', offset + 1) >= 0) throw new Error('need exactly one | marker');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

// compiled to out/test/unit/service/features/: the fixtures stay in the source tree
const FIXTURE = resolve(__dirname, '../../../../../test/fixtures/inventory/features-82576.json');

/** A fresh copy each time, so the index memo (per inventory object) is exercised per test. */
export function inventory82576(): Inventory {
  return JSON.parse(readFileSync(FIXTURE, 'utf8')) as Inventory;
}

/** The snapshot the rules tests use (another engineer's fixture; same host, different guests). */
export function sharedInventory(): Inventory {
  return JSON.parse(readFileSync(resolve(FIXTURE, '../82576.json'), 'utf8')) as Inventory;
}

/** Deterministic randomness for fresh MACs: cycles through the given values. */
export function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}

/** Inventory taken at 12:00, "now" 12:05. */
export function context82576(extra: Partial<ServiceContext> = {}): ServiceContext {
  return { inventory: inventory82576(), now: new Date('2026-11-25T12:05:00.000Z'), ...extra };
}

export function hostdevInterface(address: string, extra = ''): string {
  return `<interface type='hostdev' managed='yes'>\n  <mac address='52:54:00:6d:90:02'/>\n  <source>\n    ${address}\n  </source>\n${extra}</interface>\n`;
}
