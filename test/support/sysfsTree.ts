// Builds sysfs-shaped trees in a temp dir, with the REAL file names and REAL relative symlinks the
// kernel makes (drivers/pci/iov.c, drivers/iommu/iommu.c), so the inventory script reads them
// exactly as it reads /sys:
//   bus/pci/devices/0000:0b:10.0 -> ../../../devices/pci0000:00/0000:00:03.0/0000:0b:10.0
//   <dev>/physfn -> ../0000:0b:00.0      <dev>/virtfn3 -> ../0000:0b:10.6
//   <dev>/driver -> ../../../../bus/pci/drivers/igbvf
//   <dev>/iommu_group -> ../../../../kernel/iommu_groups/21
//   kernel/iommu_groups/21/devices/0000:0b:10.6 -> ../../../../devices/pci0000:00/…/0000:0b:10.6
//   <dev>/net/<ifname>/address, vendor, device, class, numa_node, sriov_totalvfs, sriov_numvfs
// Cards are modelled on real ones: Intel 82576 (igb/igbvf, 7 VFs per PF, the RHEL SR-IOV guide's
// layout), Intel X710 (i40e/iavf, 0x1572/0x154c), Mellanox ConnectX-5 (mlx5_core, 0x1017, 8 max, 0 on).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface NetSpec {
  name: string;
  mac: string;
}

export interface FunctionSpec {
  address: string;
  vendor: string;
  device: string;
  /** e.g. 0x020000 (Ethernet) */
  class: string;
  driver?: string | null;
  numaNode?: number;
  iommuGroup?: number | null;
  net?: NetSpec[];
  /** the upstream port's address (directory nesting, as the kernel lays it out) */
  parent?: string;
}

export interface VfSpec {
  address: string;
  driver?: string | null;
  net?: NetSpec[];
  iommuGroup?: number | null;
}

export interface PfSpec extends FunctionSpec {
  totalVfs: number;
  vfDevice: string;
  vfs: VfSpec[];
}

/** One entry of `ip -j link show` as iproute2 6.1 prints it (only the keys the parser reads plus a few). */
export interface IpLinkEntry {
  ifindex: number;
  ifname: string;
  address?: string;
  vfinfo_list?: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

export class SysfsTree {
  readonly root: string;
  private nextGroup = 1;
  private readonly ipLink: IpLinkEntry[] = [];
  /** false: a kernel without an active IOMMU (no iommu_groups, no iommu_group links) */
  readonly iommu: boolean;

  constructor(root?: string, options: { iommu?: boolean } = {}) {
    this.iommu = options.iommu ?? true;
    this.root = root ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-sysfs-'));
    fs.mkdirSync(this.root, { recursive: true });
    // mkdtemp makes 0700; the tree is read over SSH as the test user, like /sys (world-readable).
    fs.chmodSync(this.root, 0o755);
    for (const dir of ['bus/pci/devices', 'bus/pci/drivers', 'kernel/iommu_groups', 'class/net', 'devices/pci0000:00']) {
      fs.mkdirSync(path.join(this.root, dir), { recursive: true });
    }
  }

  /** Real directory of a function (devices/pci0000:00/<parent>/<address>). */
  deviceDir(address: string, parent?: string): string {
    const base = path.join(this.root, 'devices', 'pci0000:00');
    return parent ? path.join(base, parent, address) : path.join(base, address);
  }

  allocateGroup(): number {
    return this.nextGroup++;
  }

  addFunction(spec: FunctionSpec): string {
    const dir = this.deviceDir(spec.address, spec.parent);
    fs.mkdirSync(dir, { recursive: true });
    write(dir, 'vendor', spec.vendor);
    write(dir, 'device', spec.device);
    write(dir, 'class', spec.class);
    write(dir, 'numa_node', String(spec.numaNode ?? -1));
    this.link(path.join(this.root, 'bus/pci/devices', spec.address), dir);
    if (spec.driver) {
      const driverDir = path.join(this.root, 'bus/pci/drivers', spec.driver);
      fs.mkdirSync(driverDir, { recursive: true });
      this.link(path.join(dir, 'driver'), driverDir);
      this.link(path.join(driverDir, spec.address), dir);
    }
    const group = !this.iommu ? null : spec.iommuGroup === undefined ? this.allocateGroup() : spec.iommuGroup;
    if (group !== null) {
      const groupDir = path.join(this.root, 'kernel/iommu_groups', String(group));
      fs.mkdirSync(path.join(groupDir, 'devices'), { recursive: true });
      this.link(path.join(dir, 'iommu_group'), groupDir);
      this.link(path.join(groupDir, 'devices', spec.address), dir);
    }
    for (const n of spec.net ?? []) {
      const netDir = path.join(dir, 'net', n.name);
      fs.mkdirSync(netDir, { recursive: true });
      write(netDir, 'address', n.mac);
      this.link(path.join(this.root, 'class/net', n.name), netDir);
      this.ipLink.push({
        ifindex: this.ipLink.length + 2,
        ifname: n.name,
        link_type: 'ether',
        address: n.mac,
        broadcast: 'ff:ff:ff:ff:ff:ff',
      });
    }
    return dir;
  }

  /** A PF with `vfs` enabled (sriov_numvfs = vfs.length), physfn/virtfnN links both ways. */
  addPf(spec: PfSpec): void {
    const pfDir = this.addFunction(spec);
    write(pfDir, 'sriov_totalvfs', String(spec.totalVfs));
    write(pfDir, 'sriov_numvfs', String(spec.vfs.length));
    spec.vfs.forEach((vf, index) => {
      const vfDir = this.addFunction({
        address: vf.address,
        vendor: spec.vendor,
        device: spec.vfDevice,
        class: spec.class,
        driver: vf.driver === undefined ? null : vf.driver,
        numaNode: spec.numaNode,
        iommuGroup: vf.iommuGroup,
        net: vf.net,
        parent: spec.parent,
      });
      this.link(path.join(vfDir, 'physfn'), pfDir);
      this.link(path.join(pfDir, `virtfn${index}`), vfDir);
    });
  }

  /** Admin settings the PF reports for its VFs, as `ip -j link show` prints them (vfinfo_list). */
  setVfInfo(pfNetdev: string, vfinfo: Array<Record<string, unknown>>): void {
    const entry = this.ipLink.find((e) => e.ifname === pfNetdev);
    if (!entry) throw new Error(`no netdev ${pfNetdev} in the tree`);
    entry.vfinfo_list = vfinfo;
  }

  /** Writes `.ip-link.json` (the script's test hook, see inventory/script.ts) from the netdevs added so far. */
  writeIpLink(extra: IpLinkEntry[] = []): void {
    fs.writeFileSync(path.join(this.root, '.ip-link.json'), JSON.stringify([...this.ipLink, ...extra]));
  }

  /** Writes `.lspci-mm.txt` (`lspci -D -mm` lines) for product names. */
  writeLspci(lines: string[]): void {
    fs.writeFileSync(path.join(this.root, '.lspci-mm.txt'), lines.join('\n') + '\n');
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  private link(at: string, target: string): void {
    fs.symlinkSync(path.relative(path.dirname(at), target), at);
  }
}

function write(dir: string, name: string, value: string): void {
  fs.writeFileSync(path.join(dir, name), value + '\n');
}

export function pciAddr(domain: number, bus: number, slot: number, fn: number): string {
  const h = (n: number, w: number) => n.toString(16).padStart(w, '0');
  return `${h(domain, 4)}:${h(bus, 2)}:${h(slot, 2)}.${fn}`;
}

export function macFor(prefix: number, n: number): string {
  const b = [0x02, 0x00, prefix & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

// ---------------------------------------------------------------------------
// Real cards

/**
 * Intel 82576 dual port (igb, 0x8086 0x10c9; VFs igbvf 0x10ca, max 7 per PF). The RHEL SR-IOV guide's
 * layout: PFs 0000:0b:00.0/.1 (enp11s0f0/1), VFs at 0b:10.0–0b:11.5, PF0 owning the even functions
 * 10.0,10.2,…,11.4 and PF1 the odd ones 10.1,…,11.5. VF netdevs are named like the guide's enp11s16f2.
 */
export function addIntel82576(
  tree: SysfsTree,
  options: { bus?: number; numVfs?: number; vfDriver?: string | null } = {},
): { pfs: string[]; vfs: string[][] } {
  const bus = options.bus ?? 0x0b;
  const numVfs = options.numVfs ?? 7;
  const pfs: string[] = [];
  const vfs: string[][] = [];
  for (let port = 0; port < 2; port++) {
    const pf = pciAddr(0, bus, 0, port);
    const mine: VfSpec[] = [];
    for (let i = 0; i < numVfs; i++) {
      const n = port + 2 * i; // routing-ID offset 0x80, stride 2 (82576 datasheet)
      const address = pciAddr(0, bus, 0x10 + (n >> 3), n & 7);
      const driver = options.vfDriver === undefined ? 'igbvf' : options.vfDriver;
      mine.push({
        address,
        driver,
        net: driver === 'igbvf' ? [{ name: `enp${bus}s${0x10 + (n >> 3)}f${n & 7}`, mac: macFor(0x76, bus * 256 + n) }] : [],
      });
    }
    tree.addPf({
      address: pf,
      vendor: '0x8086',
      device: '0x10c9',
      class: '0x020000',
      driver: 'igb',
      numaNode: 0,
      net: [{ name: `enp${bus}s0f${port}`, mac: `00:1b:21:aa:bb:0${port}` }],
      parent: '0000:00:03.0',
      totalVfs: 7,
      vfDevice: '0x10ca',
      vfs: mine,
    });
    pfs.push(pf);
    vfs.push(mine.map((v) => v.address));
  }
  return { pfs, vfs };
}

/** Intel X710 (i40e 0x8086 0x1572, VFs iavf 0x154c, 64 per PF), two ports on `bus` (netdevs ens<bus>f<port>, VFs ens<bus>f<port>v<i>), VFs from slot 2. */
export function addIntelX710(
  tree: SysfsTree,
  options: { bus?: number; numVfs?: number[]; numaNode?: number } = {},
): { pfs: string[]; vfs: string[][] } {
  const bus = options.bus ?? 0x3b;
  const counts = options.numVfs ?? [4, 0];
  const pfs: string[] = [];
  const vfs: string[][] = [];
  counts.forEach((count, port) => {
    const pf = pciAddr(0, bus, 0, port);
    const mine: VfSpec[] = [];
    for (let i = 0; i < count; i++) {
      const n = 16 + port * 64 + i; // offset 0x10 + port's share, stride 1
      const address = pciAddr(0, bus, n >> 3, n & 7);
      mine.push({ address, driver: 'iavf', net: [{ name: `ens${bus}f${port}v${i}`, mac: macFor(0x71, bus * 4096 + port * 256 + i) }] });
    }
    tree.addPf({
      address: pf,
      vendor: '0x8086',
      device: '0x1572',
      class: '0x020000',
      driver: 'i40e',
      numaNode: options.numaNode ?? 0,
      net: [{ name: `ens${bus}f${port}`, mac: `3c:fd:fe:00:${bus.toString(16).padStart(2, '0')}:0${port}` }],
      parent: '0000:3a:00.0',
      totalVfs: 64,
      vfDevice: '0x154c',
      vfs: mine,
    });
    pfs.push(pf);
    vfs.push(mine.map((v) => v.address));
  });
  return { pfs, vfs };
}

/** Mellanox ConnectX-5 (mlx5_core 0x15b3 0x1017): SR-IOV capable (8 max) with 0 VFs enabled. */
export function addConnectX5(tree: SysfsTree, options: { bus?: number } = {}): string {
  const bus = options.bus ?? 0x5e;
  const pf = pciAddr(0, bus, 0, 0);
  tree.addPf({
    address: pf,
    vendor: '0x15b3',
    device: '0x1017',
    class: '0x020000',
    driver: 'mlx5_core',
    numaNode: 1,
    net: [{ name: 'enp94s0f0np0', mac: 'b8:59:9f:00:5e:00' }],
    parent: '0000:5d:00.0',
    totalVfs: 8,
    vfDevice: '0x1018',
    vfs: [],
  });
  return pf;
}

/** A non-network device (host bridge), to prove the script skips it. */
export function addHostBridge(tree: SysfsTree): string {
  tree.addFunction({ address: '0000:00:00.0', vendor: '0x8086', device: '0x1237', class: '0x060000', driver: null });
  return '0000:00:00.0';
}

/** The RHEL guide host: two 82576 PFs with 7 VFs each, a host bridge, ip link with admin settings. */
export function buildRhelExampleTree(root?: string | SysfsTree): { tree: SysfsTree; pfs: string[]; vfs: string[][] } {
  const tree = root instanceof SysfsTree ? root : new SysfsTree(root);
  addHostBridge(tree);
  const { pfs, vfs } = addIntel82576(tree);
  tree.setVfInfo(
    'enp11s0f0',
    vfs[0].map((_, i) => ({
      vf: i,
      link_type: 'ether',
      address: i === 0 ? '52:54:00:6d:90:01' : '00:00:00:00:00:00',
      broadcast: 'ff:ff:ff:ff:ff:ff',
      ...(i === 0 ? { vlan_list: [{ vlan: 42 }] } : {}),
      spoofchk: true,
      link_state: 'auto',
      trust: false,
    })),
  );
  tree.writeIpLink();
  return { tree, pfs, vfs };
}

/**
 * A scaled host for the benchmark: `vfCount` VFs spread over X710 ports (64 VFs each), two ports
 * per bus, every VF bound to iavf with a netdev and its own IOMMU group, plus ip link vfinfo.
 */
export function buildScaledTree(vfCount: number, root?: string): SysfsTree {
  const tree = new SysfsTree(root);
  addHostBridge(tree);
  const ports = Math.max(1, Math.ceil(vfCount / 64));
  let left = vfCount;
  for (let bus = 0; bus < Math.ceil(ports / 2); bus++) {
    const counts: number[] = [];
    for (let p = 0; p < 2 && bus * 2 + p < ports; p++) {
      counts.push(Math.min(64, left));
      left -= Math.min(64, left);
    }
    const bn = 0x20 + bus;
    addIntelX710(tree, { bus: bn, numVfs: counts });
    counts.forEach((count, port) => {
      tree.setVfInfo(
        `ens${bn}f${port}`,
        Array.from({ length: count }, (_, i) => ({
          vf: i,
          link_type: 'ether',
          address: macFor(0x52, bn * 256 + port * 64 + i),
          broadcast: 'ff:ff:ff:ff:ff:ff',
          spoofchk: true,
          link_state: 'auto',
          trust: false,
        })),
      );
    });
  }
  tree.writeIpLink();
  return tree;
}
