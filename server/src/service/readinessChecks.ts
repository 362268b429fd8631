// The guide's steps 1-8 as checks over one inventory, the way virt-host-validate prints its own:
// each PASS, WARN or FAIL with one line of detail. Used by `libvirt-hostdev readiness` and by the
// server's libvirtHostdev/readiness (the editor's Check Host Readiness). Libvirt's VF
// pools share step 7 with the free VFs: a pool hands out the addresses that step reads.
import { buildIndex, type InventoryIndex } from './inventoryIndex';
import { hostdevPools, poolReadiness, poolSource, unknownNetworks, worstStatus } from './poolReadiness';
import {
  describeSource,
  interruptRemappingCheck,
  ignoredAdvice,
  ignoredOf,
  iommuSummary,
  keyfileRefusal,
  lostVfs,
  persistenceOf,
  refusedOf,
  notAtBootAdvice,
  notAtBootOf,
  removalsOf,
} from './readiness';
import { createVfsCommand, persistenceFix } from './persistenceFix';
import { quotedName, quotedNames } from './rules/common';
import type { HostReadiness, Inventory, InventoryDevice, InventoryNetwork } from './types';
import { shellQuote } from '../../../shared/shellQuote';
import { plural } from '../../../shared/plural';
import { poolVfsText } from '../../../shared/vfUse';
import type { CheckStatus, ReadinessCheck } from '../../../shared/readiness';

/** Why the steps after step 2 have nothing to look at. */
const NO_PF = 'no SR-IOV device (step 2)';

/** Why step 5 has nothing to look at when there are PFs. */
const NO_VFS = 'no PF has VFs yet (step 4)';

/**
 * Why an inventory has no readiness: the live read's own warning when the host root could not be entered,
 * else a snapshot written before readiness was read.
 */
function noReadinessReason(warnings: readonly string[]): string {
  const hostRoot = warnings.find((w) => w.startsWith('host root '));
  if (hostRoot !== undefined) return hostRoot.replace(/: IOMMU and VF persistence are unknown$/, '');
  return 'the inventory holds no readiness data (a snapshot written by an older libvirt-hostdev): run `libvirt-hostdev inventory` again to read it';
}

/** The caller's own command for a network fix (`libvirt-hostdev net-start …` with its host options). */
export type NetworkFixCommand = (verb: 'net-start' | 'net-autostart', network: string) => string;

/**
 * `warnings` are the inventory's own (virsh unreachable, ip missing): they decide step 6.
 * `networkFix`, when given, adds our command beside virsh's in the VF pool fixes.
 */
/** How to have a copied host's files read too, in the CLI's words and the editor's (its host setting). */
const HOST_ROOT_HINT = "give --host-root, or the host's hostRoot setting in the editor";

export function readinessChecks(inventory: Inventory, warnings: readonly string[] = [], networkFix?: NetworkFixCommand): ReadinessCheck[] {
  const checks: ReadinessCheck[] = [];
  const add = (step: number, id: string, title: string, status: CheckStatus, details: string[]) =>
    checks.push({ step, label: String(step), id, title, status, details });
  const r = inventory.readiness;
  const pfs = inventory.devices.filter((d) => d.kind === 'pf');
  const vfs = inventory.devices.filter((d) => d.kind === 'vf');
  const unread = r ? '' : noReadinessReason(warnings);

  // 1. IOMMU in firmware and kernel
  if (!r) add(1, 'iommu', 'IOMMU enabled (VT-d / AMD-Vi, intel_iommu=on)', 'warn', [`IOMMU state unknown: ${unread}`]);
  else {
    add(1, 'iommu', 'IOMMU enabled (VT-d / AMD-Vi, intel_iommu=on)', r.iommu.groups > 0 ? 'pass' : 'fail', [iommuSummary(r)]);
    // without an IOMMU there is no remapping to ask about: the IOMMU check above fails already
    if (r.iommu.groups > 0) {
      const remapping = interruptRemappingCheck(r.iommu);
      add(1, 'interrupt-remapping', 'IOMMU interrupt remapping', remapping.status, [remapping.detail]);
    }
  }
  // 2. the SR-IOV card
  add(
    2,
    'sriov-device',
    'SR-IOV capable network device present (lspci)',
    pfs.length > 0 ? 'pass' : 'fail',
    pfs.length > 0
      ? pfs.map(
          (p) =>
            `${p.address}${p.netdev ? ` ${quotedName(p.netdev)}` : ''}: ${p.name ?? p.product}, up to ${plural(p.totalVfs ?? 0, 'VF')}`,
        )
      : ['no PCI function with sriov_totalvfs'],
  );
  // 3. its driver
  const unbound = pfs.filter((p) => !p.driver);
  add(
    3,
    'pf-driver',
    'PF driver loaded',
    pfs.length === 0 ? 'fail' : unbound.length > 0 ? 'fail' : 'pass',
    pfs.length === 0 ? [NO_PF] : pfs.map((p) => `${p.address}: ${p.driver ?? 'no driver bound (load it: modprobe DRIVER)'}`),
  );
  // 4. VFs created. A host often keeps a port without VFs on purpose (the uplink, the management
  // port): beside a PF that has VFs, one without is no warning, unless a hostdev pool takes its VFs.
  const noVfs = pfs.filter((p) => !p.numVfs);
  const poolsOf = (p: InventoryDevice): string[] =>
    p.netdev
      ? hostdevPools(inventory)
          .filter((n) => n.pfDevs?.includes(p.netdev!))
          .map((n) => n.name)
      : [];
  const poolWithoutVfs = noVfs.some((p) => poolsOf(p).length > 0);
  const vfsLeftOut = (p: InventoryDevice): string => {
    const create = `create them with ${createVfsCommand(p)} (step 5 keeps them)`;
    const pools = poolsOf(p);
    if (pools.length > 0)
      return `: ${pools.length === 1 ? 'the hostdev pool' : 'the hostdev pools'} ${quotedNames(pools)} ${pools.length === 1 ? 'takes' : 'take'} its VFs (<pf dev>): ${create}`;
    return noVfs.length < pfs.length ? `: none needed on a port not meant for guests, else ${create}` : `: ${create}`;
  };
  add(
    4,
    'vfs-enabled',
    'VFs created (sriov_numvfs / max_vfs)',
    pfs.length === 0 || noVfs.length === pfs.length ? 'fail' : poolWithoutVfs ? 'warn' : 'pass',
    pfs.length === 0
      ? [NO_PF]
      : pfs.map((p) => `${p.address}: ${p.numVfs ?? 0} of ${plural(p.totalVfs ?? 0, 'VF')} enabled${p.numVfs ? '' : vfsLeftOut(p)}`),
  );
  // 5. VFs persistent
  const withVfs = pfs.filter((p) => p.numVfs);
  if (!r) add(5, 'vfs-persistent', 'VFs recreated at boot (modprobe.d, udev, …)', 'warn', [`unknown: ${unread}`]);
  else {
    const details: string[] = pfs.length === 0 ? [NO_PF] : withVfs.length === 0 ? [NO_VFS] : [];
    let missing = 0;
    let removing = 0;
    let miscounted = 0;
    let refused = 0;
    let ignored = 0;
    for (const p of withVfs) {
      const sources = persistenceOf(r, p.address);
      if (sources === null) {
        missing++;
        details.push(`${p.address}: unknown (only a sysfs copy was read: ${HOST_ROOT_HINT})`);
      } else if (sources.length === 0) {
        missing++;
        details.push(`${p.address}: created at runtime only, lost at reboot: ${persistenceFix(p, inventory)}`);
      } else {
        details.push(`${p.address}: ${sources.map(describeSource).join('; ')}`);
        // a boot that makes another count than the PF has now changes the VFs guests were given
        for (const s of sources) {
          if (s.count === undefined || s.count === p.numVfs) continue;
          miscounted++;
          const lost = s.count < p.numVfs! ? `: ${lostVfs(s.count, p.numVfs!)} will not come back` : '';
          details.push(`${p.address}: /${s.file} sets ${plural(s.count, 'VF')} at boot, the PF has ${p.numVfs} now${lost}`);
        }
      }
      for (const z of removalsOf(r, p.address)) {
        removing++;
        details.push(`${p.address}: ${describeSource(z)} writes 0 to sriov_numvfs: it removes the VFs at boot, it does not keep them`);
      }
      for (const s of notAtBootOf(r, p.address)) details.push(`${p.address}: ${notAtBootAdvice(s)}`);
      for (const s of ignoredOf(r, p.address)) {
        ignored++;
        details.push(`${p.address}: ${ignoredAdvice(s, p, inventory)}`);
      }
    }
    // every PF of the driver: a module that refuses its option does not load, VFs or not
    for (const p of pfs) {
      for (const s of refusedOf(r, p.address)) {
        refused++;
        details.push(
          `${p.address}: ${describeSource(s)} gives ${p.driver} a list of counts: its max_vfs is one number for every port and the kernel ` +
            `refuses a list ("\`${s.detail.replace(/^.*max_vfs=(\S+).*$/, '$1')}' invalid for parameter \`max_vfs'"), so ${p.driver} does not load with it: ` +
            `remove it and ${persistenceFix(p, inventory)}`,
        );
      }
    }
    if (r.unreadable.length > 0)
      details.push(`could not read ${r.unreadable.map((f) => `/${f}${keyfileNote(r, f)}`).join(', ')} (run as root to include them)`);
    // a keyfile NetworkManager refuses makes nothing, whichever PF it names
    for (const [f, stat] of Object.entries(r.unreadableKeyfiles ?? {})) {
      const refusal = keyfileRefusal(stat.mode, stat.owner);
      if (refusal === null) continue;
      ignored++;
      const file = shellQuote(`/${f}`);
      details.push(`/${f}: NetworkManager does not load this keyfile ("${refusal}"): chown root:root ${file} && chmod 600 ${file}`);
    }
    add(
      5,
      'vfs-persistent',
      'VFs recreated at boot (modprobe.d, udev, …)',
      withVfs.length === 0 || refused > 0 ? 'fail' : missing + removing + miscounted + ignored > 0 ? 'warn' : 'pass',
      details,
    );
  }
  // 6. VFs visible to the host and libvirt (lspci, virsh nodedev-list)
  const libvirtTrouble = warnings.filter((w) => /virsh/.test(w));
  const vfUnbound = vfs.filter((v) => !v.driver);
  add(6, 'vfs-visible', 'VFs visible (lspci, virsh)', vfs.length === 0 || libvirtTrouble.length > 0 ? 'fail' : 'pass', [
    `${plural(vfs.length, 'VF')} in sysfs${vfUnbound.length ? `, ${vfUnbound.length} without a driver` : ''}`,
    ...libvirtTrouble,
  ]);
  // 7. addresses to use
  const index = buildIndex(inventory);
  const uses = vfs.map((v) => index.usage.useOf(v.address));
  const free = vfs.filter((_v, i) => uses[i].free);
  // a pool's VF no guest holds is there for <interface type='network'> (step 7b), not to be named directly
  const idleInPools = uses.filter((u) => !u.free && u.guests.length === 0 && u.networks.length > 0).length;
  // without libvirt's guests a VF a guest holds looks free: the count is an upper bound, not a pass
  add(7, 'vfs-free', 'Free VFs to assign', free.length > 0 && libvirtTrouble.length === 0 ? 'pass' : vfs.length > 0 ? 'warn' : 'fail', [
    `${free.length} of ${plural(vfs.length, 'VF')} ${libvirtTrouble.length > 0 ? 'not held by a guest as far as known' : 'free'}${
      idleInPools > 0 ? ` to name in <source><address> (${idleInPools} more idle in VF pools, for <interface type='network'>: 7b)` : ''
    }${
      free.length
        ? `, e.g. ${free
            .slice(0, 3)
            .map((v) => v.address)
            .join(', ')}`
        : ''
    }`,
    ...(libvirtTrouble.length > 0 ? ["libvirt's guests could not be read (step 6): a VF one of them holds may be among these"] : []),
  ]);
  // 7. or addresses handed out by libvirt: VF pools
  const pools = poolsCheck(index, libvirtTrouble, networkFix);
  add(7, 'vf-pools', 'VF pools (active, autostart, free VFs)', pools.status, pools.details);
  // 8. attach: managed='yes' rebinds to vfio-pci at start
  const vfio = r?.vfioPci ?? 'unknown';
  // a live read gives every PF a persistence entry unless it read a sysfs copy alone (--sysfs-root)
  const sysfsCopyOnly = pfs.length > 0 && pfs.every((p) => persistenceOf(r, p.address) === null);
  add(8, 'vfio-pci', "vfio-pci available (managed='yes' assignment)", vfio === 'missing' ? 'fail' : vfio === 'unknown' ? 'warn' : 'pass', [
    vfio === 'loaded'
      ? 'vfio-pci is loaded'
      : vfio === 'available'
        ? 'vfio-pci module installed (libvirt loads it at start)'
        : vfio === 'missing'
          ? 'no vfio-pci module: install the kernel modules package'
          : !r
            ? `unknown: ${unread}`
            : sysfsCopyOnly
              ? `unknown: vfio-pci is not loaded, and only a sysfs copy was read (to look for the module, ${HOST_ROOT_HINT})`
              : 'unknown: vfio-pci is not loaded, and the kernel modules (modinfo, /lib/modules) could not be read',
  ]);
  return withSubSteps(checks);
}

/** Letters the checks of a step that has several ("1a", "1b"); a step with one check keeps its number. */
function withSubSteps(checks: ReadinessCheck[]): ReadinessCheck[] {
  return checks.map((c) => {
    const same = checks.filter((o) => o.step === c.step);
    return same.length > 1 ? { ...c, label: `${c.step}${String.fromCharCode(97 + same.indexOf(c))}` } : c;
  });
}

/** " (mode 600, owner root)" for an unreadable NetworkManager keyfile whose mode the read saw; '' otherwise. */
function keyfileNote(r: HostReadiness, file: string): string {
  const stat = r.unreadableKeyfiles && Object.hasOwn(r.unreadableKeyfiles, file) ? r.unreadableKeyfiles[file] : undefined;
  return stat ? ` (mode ${stat.mode}, owner ${stat.owner === 0 ? 'root' : `uid ${stat.owner}`})` : '';
}

function poolsCheck(
  index: InventoryIndex,
  libvirtTrouble: readonly string[],
  networkFix: NetworkFixCommand | undefined,
): { status: CheckStatus; details: string[] } {
  if (libvirtTrouble.length > 0) return { status: 'warn', details: ["libvirt's networks could not be read (step 6)"] };
  const pools = hostdevPools(index.inventory).map((n) => poolReadiness(n, index));
  const unknown = unknownNetworks(index.inventory);
  if (pools.length === 0 && unknown.length === 0) return { status: 'pass', details: ['no VF pools defined (guests use VFs directly)'] };
  const details: string[] = [];
  for (const p of pools) {
    const n = p.network;
    const state = `${n.active ? 'active' : 'inactive'}, ${n.autostart === undefined ? 'autostart unknown' : n.autostart ? 'autostarts' : 'no autostart'}`;
    const vfs = n.active ? poolVfsText(p.vfs) : `${plural(n.addresses.length, 'VF')}, none handed out while inactive`;
    const users = p.users.length ? `used by ${p.users.join(', ')}` : 'no guest uses it';
    details.push(`${quotedName(n.name)}: ${poolSource(n)}, ${vfs}, ${state}; ${users}`);
    for (const f of p.findings) {
      details.push(`${f.status.toUpperCase()}: ${f.finding.message}`);
      if (networkFix && f.finding.code === 'network-inactive')
        details.push(
          `or: ${networkFix(n.active ? 'net-autostart' : 'net-start', n.name)}${n.active || n.autostart ? '' : ` && ${networkFix('net-autostart', n.name)}`}`,
        );
    }
  }
  // each network counts its own ports: two pools that hand out one VF give it to two guests
  const shared = sharedPoolVfs(pools.map((p) => p.network));
  for (const { pools: pair, vfs } of shared)
    details.push(
      `WARN: ${pair.map((n) => quotedName(n.name)).join(' and ')} both hand out ${plural(vfs.length, 'VF')} (${vfs.slice(0, 3).join(', ')}${vfs.length > 3 ? ', …' : ''}): ` +
        'each pool gives them to guests of its own, and whichever guest starts second on one fails ("PCI device … is in use by driver QEMU"). Give each pool VFs of its own.',
    );
  // every guest that names a missing network fails at its next start
  for (const u of unknown) {
    details.push(`${quotedName(u.name)}: no such network; named by ${u.namedBy}`);
    details.push(`FAIL: ${u.finding.message}`);
  }
  return {
    status: worstStatus([
      ...pools.map((p) => p.status),
      ...(shared.length ? (['warn'] as const) : []),
      ...(unknown.length ? (['fail'] as const) : []),
    ]),
    details,
  };
}

/** Each pair of pools that hand out VFs in common, with those VFs, in the host's order of networks. */
function sharedPoolVfs(pools: readonly InventoryNetwork[]): { pools: [InventoryNetwork, InventoryNetwork]; vfs: string[] }[] {
  const found: { pools: [InventoryNetwork, InventoryNetwork]; vfs: string[] }[] = [];
  for (let i = 0; i < pools.length; i++)
    for (let j = i + 1; j < pools.length; j++) {
      const theirs = new Set(pools[j].addresses);
      const vfs = pools[i].addresses.filter((a) => theirs.has(a));
      if (vfs.length > 0) found.push({ pools: [pools[i], pools[j]], vfs });
    }
  return found;
}
