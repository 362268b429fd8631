// Quick fixes that put a free VF of the host in place of an address that cannot serve the device
// (in use, pooled, unknown, a PF, a duplicate): VFs of the same PF first, then one elsewhere.
import { addressKey, parseCanonicalAddress, pciAddressElement } from './pci';
import { readAddress } from './address';
import { documentAddresses, indexOf, quoteOf } from './featureSupport';
import { byVfIndex, vfName } from '../../../shared/vfUse';
import type { FixEnv, QuickFix } from './quickFix';
import type { DeviceModel } from './modelTypes';
import { guestOf } from './rules/guests';
import type { Problem } from './types';

const SAME_PF_CHOICES = 3;

export function useFreeVf(_problem: Problem, device: DeviceModel | null, env: FixEnv): QuickFix[] {
  const index = indexOf(env.ctx);
  // an <address> without its end tag (closed=false) spans what recovery swallowed: replacing it would delete that
  if (!index || !device?.hostAddress || !device.hostAddress.closed) return [];
  const own = guestOf(env.model, device.element);
  const inDocument = documentAddresses(env.model);
  const free = index.usage.freeVfs(own).filter((vf) => !inDocument.has(addressKey(vf.address)));
  const current = readAddress(device.hostAddress).canonical;
  const here = current ? index.byAddress.get(current) : undefined;
  const pf = here?.kind === 'pf' ? here.address : here?.pf;
  const samePf = pf ? free.filter((vf) => vf.pf && addressKey(vf.pf) === addressKey(pf)).sort(byVfIndex) : [];
  const chosen = samePf.slice(0, SAME_PF_CHOICES);
  // Then any free VF elsewhere: one more choice, or a few when the same PF has none left.
  const others = free.filter((vf) => !chosen.includes(vf)).slice(0, chosen.length ? 1 : SAME_PF_CHOICES);
  chosen.push(...others);
  const quote = quoteOf(device.hostAddress);
  const span = { start: device.hostAddress.start, end: device.hostAddress.end };
  return chosen.map((vf, i) => ({
    title: `Use free VF ${addressKey(vf.address)} (${vfName(vf, index.byAddress.get(addressKey(vf.pf ?? '')))})`,
    edits: [{ span, newText: pciAddressElement(parseCanonicalAddress(vf.address)!, quote, device.kind === 'interface') }],
    isPreferred: i === 0,
  }));
}
