// Shared by the rule tests: `[[ ]]` range markers, device builders, and the 82576 inventory fixture.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { validate } from '../../../../server/src/service/validate';
import type {
  DiagnosticCode,
  Inventory,
  InventoryGuest,
  InventoryNetwork,
  Problem,
  ServiceContext,
  Severity,
  Span,
} from '../../../../server/src/service/types';

/** Strips `[[` … `]]` markers; returns the text and the marked ranges in order. */
export function marked(source: string): { text: string; spans: Span[] } {
  const spans: Span[] = [];
  let text = '';
  let open = -1;
  for (let i = 0; i < source.length; i++) {
    if (source.startsWith('[[', i)) {
      open = text.length;
      i++;
    } else if (source.startsWith(']]', i)) {
      if (open < 0) throw new Error(']] without [[');
      spans.push({ start: open, end: text.length });
      open = -1;
      i++;
    } else {
      text += source[i];
    }
  }
  if (open >= 0) throw new Error('[[ without ]]');
  return { text, spans };
}

export function problemsOf(text: string, code: DiagnosticCode, context: ServiceContext = {}): Problem[] {
  return validate(text, context).filter((p) => p.code === code);
}

/**
 * Asserts that `code` is reported exactly at the marked ranges (one problem per range) with `severity`;
 * returns the problems for message checks.
 */
export function expectAt(source: string, code: DiagnosticCode, severity: Severity, context: ServiceContext = {}): Problem[] {
  const { text, spans } = marked(source);
  if (spans.length === 0) throw new Error('expectAt needs at least one [[ ]] range');
  const found = problemsOf(text, code, context);
  const show = (s: Span) => `${s.start}-${s.end} '${text.slice(s.start, s.end)}'`;
  assert.deepEqual(
    found.map((p) => show(p.span)),
    spans.map(show),
    `ranges of ${code}`,
  );
  for (const p of found) assert.equal(p.severity, severity, `severity of ${code}`);
  return found;
}

/** Asserts that `code` is not reported at all. */
export function expectNone(text: string, code: DiagnosticCode, context: ServiceContext = {}): void {
  const found = problemsOf(text, code, context);
  assert.deepEqual(
    found.map((p) => `${p.code} '${text.slice(p.span.start, p.span.end)}': ${p.message}`),
    [],
    `no ${code} expected`,
  );
}

export const HOST = "<source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x2'/></source>";
export const MAC = "<mac address='52:54:00:6d:90:02'/>";

/** A clean `<interface type='hostdev'>` (managed, MAC, host address 0b:10.2) plus `extra` children. */
export function iface(extra = '', options: { attrs?: string; mac?: string; source?: string } = {}): string {
  const attrs = options.attrs ?? " managed='yes'";
  return `<interface type='hostdev'${attrs}>\n  ${options.mac ?? MAC}\n  ${options.source ?? HOST}\n  ${extra}\n</interface>\n`;
}

/** A clean plain `<hostdev>` for the given host address attributes plus `extra` children. */
export function hostdev(
  addressAttrs = "domain='0x0000' bus='0x0b' slot='0x10' function='0x2'",
  extra = '',
  attrs = " managed='yes'",
): string {
  return `<hostdev mode='subsystem' type='pci'${attrs}>\n  <source><address ${addressAttrs}/></source>\n  ${extra}\n</hostdev>\n`;
}

/** A whole domain around devices. */
export function domain(devices: string, name = 'vm01'): string {
  return `<domain type='kvm'>\n  <name>${name}</name>\n  <devices>\n${devices}  </devices>\n</domain>\n`;
}

// compiled to out/test/unit/service/rules/: the fixtures stay in the source tree
const FIXTURE = resolve(__dirname, '../../../../../test/fixtures/inventory/82576.json');

/** A fresh copy each time, so the per-snapshot index memo starts cold per test. */
export function inventory82576(): Inventory {
  return JSON.parse(readFileSync(FIXTURE, 'utf8')) as Inventory;
}

/** The 82576 host with only `enabled` VFs of PF 0000:0b:00.0 enabled (sriov_numvfs lowered). */
export function inventoryWithFewVfs(enabled: number): Inventory {
  const inv = inventory82576();
  inv.devices = inv.devices.filter((d) => !(d.kind === 'vf' && d.pf === '0000:0b:00.0' && (d.vfIndex ?? 0) >= enabled));
  const pf = inv.devices.find((d) => d.address === '0000:0b:00.0')!;
  pf.numVfs = enabled;
  inv.guests = inv.guests.filter((g) => g.devices.every((d) => inv.devices.some((x) => x.address === d.address)));
  return inv;
}

/** the seven VFs of enp11s0f1 (0000:0b:00.1) in the 82576 fixture, as a `<pf dev='enp11s0f1'/>` pool lists them */
export const PF1_VFS = ['0000:0b:10.1', '0000:0b:10.3', '0000:0b:10.5', '0000:0b:10.7', '0000:0b:11.1', '0000:0b:11.3', '0000:0b:11.5'];

/**
 * 'sriov-pool' as a full snapshot records it: an active, autostarting, managed hostdev pool on
 * `<pf dev='enp11s0f1'/>` with that PF's seven VFs; `extra` overrides any field.
 */
export function sriovPool(extra: Partial<InventoryNetwork> = {}): InventoryNetwork {
  return {
    name: 'sriov-pool',
    active: true,
    autostart: true,
    forwardMode: 'hostdev',
    managed: true,
    pfDevs: ['enp11s0f1'],
    addresses: [...PF1_VFS],
    ...extra,
  };
}

/** The 82576 snapshot with full network details: a 2-VF pool (one VF held live by web01), an inactive pool, NAT. */
export function withNetworks(): Inventory {
  const inv = inventory82576();
  inv.networks = [
    sriovPool({ addresses: ['0000:0b:10.0', '0000:0b:10.3'], portgroups: [{ name: 'blue', default: true, vlan: [100] }] }),
    { name: 'idle-pool', active: false, autostart: false, forwardMode: 'hostdev', addresses: ['0000:0b:10.5'] },
    { name: 'default', active: true, autostart: false, forwardMode: 'nat', addresses: [] },
  ];
  return inv;
}

/** a fixed locally administered-looking QEMU MAC per guest and interface (52:54:00 as libvirt makes them) */
function guestMac(name: string, nth: number): string {
  let h = 0x811c9dc5;
  for (const c of `${name}/${nth}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return `52:54:00:${[h >>> 16, h >>> 8, h].map((b) => (b & 0xff).toString(16).padStart(2, '0')).join(':')}`;
}

/**
 * A guest as a snapshot written before interface counts describes it: its persistent definition has
 * <interface type='network'> entries on each of `networks` (listed each once, without a count); `held`
 * are the pool VFs its running definition shows as <interface type='hostdev'> (live only: the
 * persistent definition names the network, not the VF), with the same MACs.
 */
export function poolGuest(name: string, state: string, networks: string[], held: string[] = []): InventoryGuest {
  return guestOnNetworks(name, state, networks, networks.length, held);
}

/**
 * poolGuest as the inventory reads it from virsh now: `interfaces` is how many <interface
 * type='network'> entries its persistent definition has on each network (snapshot interfacesPerNetwork).
 */
export function countedPoolGuest(name: string, state: string, interfaces: Record<string, number>, held: string[] = []): InventoryGuest {
  const total = Object.values(interfaces).reduce((a, b) => a + b, 0);
  return { ...guestOnNetworks(name, state, Object.keys(interfaces), total, held), interfacesPerNetwork: { ...interfaces } };
}

function guestOnNetworks(name: string, state: string, networks: string[], interfaces: number, held: string[]): InventoryGuest {
  const macs = Array.from({ length: interfaces }, (_, i) => guestMac(name, i));
  return {
    name,
    state,
    persistent: true,
    devices: held.map((address, i) => ({
      address,
      element: 'interface' as const,
      config: false,
      live: true,
      mac: macs[i] ?? guestMac(name, 100 + i),
    })),
    macs: [...new Set([...macs, ...held.map((_, i) => macs[i] ?? guestMac(name, 100 + i))])],
    networks,
  };
}
