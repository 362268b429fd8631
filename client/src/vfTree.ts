// The "SR-IOV" view: host → PF (netdev, driver, numVfs/totalVfs) → VF (address, driver, MAC/VLAN, used by).
// Rebuilt from GetInventoryRequest whenever the server reports a new inventory status.
import * as vscode from 'vscode';
import { takenAgo } from '../../shared/age';
import { quotedName } from '../../shared/quotedName';
import { pfLabel } from '../../shared/vfUse';
import type { Ctx } from './ctx';
import { asSnapshot, networksOf, pfPersistenceLabel, pfs, usersOf, vfsOf, type Snapshot, type SnapshotDevice } from './inventoryView';

export type VfNode =
  | { kind: 'host'; snapshot: Snapshot; label: string }
  | { kind: 'pf'; snapshot: Snapshot; device: SnapshotDevice }
  | { kind: 'vf'; snapshot: Snapshot; device: SnapshotDevice };

export function isVfNode(x: unknown): x is Extract<VfNode, { kind: 'vf' }> {
  return (
    !!x && typeof x === 'object' && (x as VfNode).kind === 'vf' && typeof (x as { device?: SnapshotDevice }).device?.address === 'string'
  );
}

export class VfTreeProvider implements vscode.TreeDataProvider<VfNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<VfNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private snapshot: Snapshot | null = null;
  private hostLabel = '';
  /** the status' host readiness lines (IOMMU, runtime-only VFs) */
  private readiness: string[] = [];
  private readonly subscription: vscode.Disposable;
  /** the latest reload asked for: an earlier one answering after it must not replace what it shows */
  private reloads = 0;

  constructor(private readonly ctx: Ctx) {
    this.subscription = ctx.onDidChangeStatus(() => void this.reload());
  }

  async reload(): Promise<void> {
    // the dispose of the extension fires a last status event; the client and its log are gone then
    if (this.ctx.isDisposed) return;
    const reload = ++this.reloads;
    try {
      const result = await this.ctx.getInventory();
      if (reload !== this.reloads) return;
      this.snapshot = asSnapshot(result.inventory);
      const s = result.status;
      this.readiness = s.readiness ?? [];
      this.hostLabel = `${s.host ?? this.snapshot?.host ?? 'host'}${s.state === 'stale' ? ' (stale)' : s.state === 'unreachable' ? ' (unreachable)' : s.state === 'restricted' ? ' (restricted)' : ''}`;
    } catch (e) {
      if (reload !== this.reloads) return;
      this.ctx.log.debug(`SR-IOV view: no inventory (${String(e)})`);
      this.snapshot = null;
    }
    this.changed.fire(undefined);
  }

  getChildren(node?: VfNode): VfNode[] {
    if (!node) {
      // empty → the view shows its viewsWelcome ("Select Host") from package.json
      if (!this.snapshot) return [];
      return [{ kind: 'host', snapshot: this.snapshot, label: this.hostLabel }];
    }
    if (node.kind === 'host') return pfs(node.snapshot).map((device) => ({ kind: 'pf', snapshot: node.snapshot, device }));
    if (node.kind === 'pf')
      return vfsOf(node.snapshot, node.device.address).map((device) => ({ kind: 'vf', snapshot: node.snapshot, device }));
    return [];
  }

  getTreeItem(node: VfNode): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'host': {
        const item = new vscode.TreeItem(node.label, C.Expanded);
        item.description = [takenAgo(node.snapshot.takenAt), ...this.readiness.filter((l) => l.startsWith('No IOMMU'))].join(' · ');
        item.tooltip = [
          `Inventory of ${quotedName(node.snapshot.host)}, ${takenAgo(node.snapshot.takenAt)}`,
          ...(this.readiness.length > 0 ? [`Host readiness:\n- ${this.readiness.join('\n- ')}`] : []),
        ].join('\n');
        item.iconPath = new vscode.ThemeIcon('server');
        item.contextValue = 'host';
        return item;
      }
      case 'pf': {
        const d = node.device;
        const item = new vscode.TreeItem(d.netdev ? `${d.netdev}` : d.address, C.Expanded);
        const persistence = d.numVfs ? pfPersistenceLabel(node.snapshot, d.address) : null;
        item.description = [
          `${d.address}`,
          d.driver ?? 'no driver',
          `${d.numVfs ?? 0}/${d.totalVfs ?? 0} VFs`,
          ...(persistence ? [persistence] : []),
        ].join(' · ');
        // the description is cut in a narrow view: the tooltip has every fact
        item.tooltip = [
          pfLabel(d),
          `${d.vendor ?? ''} ${d.product ?? ''}`.trim(),
          `driver ${d.driver ?? 'none'}`,
          `${d.numVfs ?? 0} of ${d.totalVfs ?? 0} VFs enabled`,
          ...(persistence ? [persistence] : []),
          ...(node.snapshot.readiness?.vfPersistence?.[d.address] ?? []).map((x) => `${x.mechanism}: /${x.file}`),
        ].join('\n');
        item.iconPath = new vscode.ThemeIcon('circuit-board');
        item.contextValue = 'pf';
        return item;
      }
      case 'vf': {
        const d = node.device;
        const users = usersOf(node.snapshot, d.address);
        const nets = networksOf(node.snapshot, d.address).map((n) => `network ${quotedName(n)}`);
        // 00:00:00:00:00:00 is how ip link reports "no admin MAC set"
        const adminMac = d.vf?.mac && !/^(00:){5}00$/.test(d.vf.mac) ? d.vf.mac : '';
        const admin = [adminMac ? `MAC ${adminMac}` : '', d.vf?.vlan ? `VLAN ${d.vf.vlan}` : ''].filter(Boolean);
        const item = new vscode.TreeItem(d.address, C.None);
        item.description = [
          `VF ${d.vfIndex ?? '?'}`,
          d.driver ?? 'no driver',
          ...admin,
          ...(users.length || nets.length ? [`used by ${[...users, ...nets].join(', ')}`] : ['free']),
        ].join(' · ');
        item.tooltip = [
          `VF ${d.vfIndex ?? '?'} of PF ${d.pf ?? '?'}`,
          `driver ${d.driver ?? 'none'}`,
          ...admin,
          users.length || nets.length ? `used by ${[...users, ...nets].join(', ')}` : 'free',
        ].join('\n');
        item.iconPath = new vscode.ThemeIcon(users.length || nets.length ? 'debug-breakpoint' : 'debug-breakpoint-unverified');
        item.contextValue = users.length || nets.length ? 'vf.used' : 'vf.free';
        return item;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
