// `ip -j link show` → the admin settings each PF reports for its VFs (iproute2 ip/ipaddress.c
// print_vfinfo). These are what libvirt programs for a hostdev interface's <mac>/<vlan>
// (virNetDevSetVfConfig). Shapes seen in the wild (libvirt-rules.md §8):
//   { "vf": 0, "address": "52:54:00:…", "vlan_list": [{ "vlan": 42, "qos": 1 }], "spoofchk": true, "trust": false }
//   old iproute2 (< 5.3): "mac" instead of "address"; kernels without IFLA_VF_VLAN_LIST: "vlan" in the VF object.
// Keys are omitted when zero or unsupported, so a missing vlan is 0 and a missing spoofchk is unknown.
import type { VfAdminSettings } from '../service/types';
import { normalizeMac } from '../service/mac';

export interface IpLinkResult {
  /** PF ifname → VF index → settings */
  vfSettings: Map<string, Map<number, VfAdminSettings>>;
  warnings: string[];
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function vfSettingsOf(entry: Json): VfAdminSettings {
  const s: VfAdminSettings = {};
  const rawMac = typeof entry.address === 'string' ? entry.address : typeof entry.mac === 'string' ? entry.mac : null;
  if (rawMac !== null) {
    const mac = normalizeMac(rawMac);
    if (mac) s.mac = mac;
  }
  let vlan: number | undefined;
  if (Array.isArray(entry.vlan_list) && entry.vlan_list.length > 0 && isObject(entry.vlan_list[0])) {
    const v = entry.vlan_list[0].vlan;
    vlan = typeof v === 'number' ? v : 0;
  } else if (typeof entry.vlan === 'number') {
    vlan = entry.vlan;
  }
  s.vlan = vlan ?? 0;
  if (typeof entry.spoofchk === 'boolean') s.spoofchk = entry.spoofchk;
  if (typeof entry.trust === 'boolean') s.trust = entry.trust;
  return s;
}

export function parseIpLinkJson(text: string): IpLinkResult {
  const vfSettings = new Map<string, Map<number, VfAdminSettings>>();
  const warnings: string[] = [];
  const trimmed = text.trim();
  if (trimmed === '') return { vfSettings, warnings };
  let data: unknown;
  try {
    data = JSON.parse(trimmed);
  } catch (e) {
    warnings.push(`ip -j link show: output is not JSON (${(e as Error).message}); VF admin MAC/VLAN are unknown`);
    return { vfSettings, warnings };
  }
  if (!Array.isArray(data)) {
    warnings.push('ip -j link show: expected a JSON array; VF admin MAC/VLAN are unknown');
    return { vfSettings, warnings };
  }
  for (const link of data) {
    if (!isObject(link) || typeof link.ifname !== 'string' || !Array.isArray(link.vfinfo_list)) continue;
    const byIndex = new Map<number, VfAdminSettings>();
    for (const entry of link.vfinfo_list) {
      if (!isObject(entry) || typeof entry.vf !== 'number') continue;
      byIndex.set(entry.vf, vfSettingsOf(entry));
    }
    vfSettings.set(link.ifname, byIndex);
  }
  return { vfSettings, warnings };
}
