// Shared by the editor-feature tests: `|` cursor markers and the 82576 inventory fixture.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { HostReadiness, Inventory, ServiceContext } from '../../../server/src/service/types';

/** Strips the single `|` marker; returns the text and the marker's offset. */
export function cursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  if (offset < 0 || marked.indexOf('|', offset + 1) >= 0) throw new Error('need exactly one | marker');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

// compiled to out/test/unit/service/: the fixture stays in the source tree
const FIXTURE = resolve(__dirname, '../../../../test/fixtures/inventory/82576.json');

/** The 82576 host every service test uses; a fresh copy each time, so the per-inventory index is built per test. */
export function inventory82576(): Inventory {
  return JSON.parse(readFileSync(FIXTURE, 'utf8')) as Inventory;
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

/** The examples and the named folders of the virsh-checked corpus (test/fixtures/corpus/…), in name order. */
export function corpusTexts(corpusFolders: string[]): string[] {
  const root = resolve(__dirname, '../../../..');
  const dirs = [join(root, 'examples'), ...corpusFolders.map((d) => join(root, 'test/fixtures/corpus', d))];
  const texts: string[] = [];
  for (const dir of dirs)
    for (const f of readdirSync(dir)
      .filter((n) => n.endsWith('.xml'))
      .sort())
      texts.push(readFileSync(join(dir, f), 'utf8'));
  return texts;
}

/** mulberry32: small, fast, the same sequence for a seed everywhere */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a host with the IOMMU on and vfio-pci loaded reads as its readiness; `changes` and `iommu` say how this one differs. */
export function hostReadiness(
  changes: Partial<Omit<HostReadiness, 'iommu'>> = {},
  iommu: Partial<HostReadiness['iommu']> = {},
): HostReadiness {
  return {
    iommu: { groups: 34, units: ['dmar0'], cmdline: ['intel_iommu=on'], interruptRemapping: 'supported', ...iommu },
    kernelCmdline: 'ro intel_iommu=on',
    vfioPci: 'loaded',
    maxVfsDrivers: [],
    vfPersistence: {},
    unreadable: [],
    ...changes,
  };
}
