// A copied host for `--host-root`: sys/ (a SysfsTree), etc/ and proc/cmdline, with the files that
// decide IOMMU and VF persistence written the way administrators and distributions write them
// (modprobe.d options, udev rules, systemd units, NetworkManager keyfiles, netplan YAML).
import * as fs from 'node:fs';
import { afterEach } from 'node:test';
import * as os from 'node:os';
import * as path from 'node:path';
import { SysfsTree } from './sysfsTree';

export class HostTree {
  readonly root: string;
  readonly sys: SysfsTree;

  constructor(options: { iommu?: boolean; cmdline?: string } = {}) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-host-'));
    fs.chmodSync(this.root, 0o755);
    const iommu = options.iommu ?? true;
    this.sys = new SysfsTree(path.join(this.root, 'sys'), { iommu });
    if (iommu) {
      // VT-d unit as /sys/class/iommu shows it; ecap 0xf020de has bit 3 (Interrupt Remapping) set.
      this.write('sys/devices/virtual/iommu/dmar0/intel-iommu/ecap', 'f020de\n');
      fs.mkdirSync(path.join(this.root, 'sys/class/iommu'), { recursive: true });
      fs.symlinkSync('../../devices/virtual/iommu/dmar0', path.join(this.root, 'sys/class/iommu/dmar0'));
    }
    const cmdline =
      options.cmdline ??
      (iommu
        ? 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-27-amd64 root=UUID=0b4c1a9e ro quiet intel_iommu=on iommu=pt'
        : 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-27-amd64 root=UUID=0b4c1a9e ro quiet');
    this.write('proc/cmdline', cmdline + '\n');
  }

  /** Writes ROOT/rel (parents made), optionally with a mode (0o600 for root-only files). */
  write(rel: string, content: string, mode?: number): string {
    const file = path.join(this.root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    if (mode !== undefined) fs.chmodSync(file, mode);
    return file;
  }

  /** A loaded kernel module with a parameter, as /sys/module/NAME/parameters/PARAM. */
  module(name: string, params: Record<string, string> = {}): void {
    fs.mkdirSync(path.join(this.root, 'sys/module', name, 'parameters'), { recursive: true });
    for (const [k, v] of Object.entries(params)) this.write(`sys/module/${name}/parameters/${k}`, v + '\n');
  }

  /** A systemd unit in etc/systemd/system, enabled (wanted by multi-user.target) unless told not to. */
  unit(name: string, content: string, enabled = true): void {
    this.write(`etc/systemd/system/${name}`, content);
    if (enabled) {
      const wants = path.join(this.root, 'etc/systemd/system/multi-user.target.wants');
      fs.mkdirSync(wants, { recursive: true });
      fs.symlinkSync(`/etc/systemd/system/${name}`, path.join(wants, name));
    }
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** A maker of HostTrees for a test file: each tree is removed after the test that made it. */
export function hostTreesRemovedAfterEach(): (options?: ConstructorParameters<typeof HostTree>[0]) => HostTree {
  const made: HostTree[] = [];
  afterEach(() => {
    for (const t of made.splice(0)) t.remove();
  });
  return (options) => {
    const tree = new HostTree(options);
    made.push(tree);
    return tree;
  };
}
