// Status bar item: active host, free/total VFs, stale/unreachable state; click → Select Host.
import * as vscode from 'vscode';
import type { InventoryStatus } from '../../server/src/protocol';

export interface StatusView {
  text: string;
  tooltip: string;
  status: InventoryStatus | null;
}

export function describeStatus(s: InventoryStatus | null, serverRunning: boolean): StatusView {
  if (!serverRunning) return { text: '$(circle-slash) libvirt: server stopped', tooltip: 'The libvirt Hostdev language server is not running', status: s };
  if (!s || s.state === 'none') {
    return { text: '$(plug) libvirt: no host', tooltip: 'No inventory: click to select a host or an inventory file', status: s };
  }
  const host = s.host ?? (s.source === 'file' ? 'snapshot' : 'host');
  const vfs = `${s.freeVfs}/${s.totalVfs} VFs free`;
  const age = s.takenAt ? `inventory taken ${s.takenAt}` : 'no inventory yet';
  switch (s.state) {
    case 'loading':
      return { text: `$(sync~spin) ${host}`, tooltip: `Loading the inventory of ${host}…`, status: s };
    case 'ok':
      return { text: `$(server) ${host} ${vfs}`, tooltip: `${host} (${s.source ?? 'host'}): ${vfs}, ${age}`, status: s };
    case 'stale':
      return { text: `$(warning) ${host} ${vfs} (stale)`, tooltip: `${host}: last refresh failed, showing the last good inventory (${age})${s.error ? `: ${s.error}` : ''}`, status: s };
    case 'unreachable':
      return { text: `$(error) ${host} unreachable`, tooltip: `${host} is unreachable${s.error ? `: ${s.error}` : ''}`, status: s };
  }
}

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('libvirtHostdev.status', vscode.StatusBarAlignment.Left, 10);
  current: StatusView = describeStatus(null, false);

  constructor(command: string) {
    this.item.name = 'libvirt Hostdev';
    this.item.command = command;
    this.render();
    this.item.show();
  }

  update(status: InventoryStatus | null, serverRunning: boolean): void {
    this.current = describeStatus(status, serverRunning);
    this.render();
  }

  private render(): void {
    this.item.text = this.current.text;
    this.item.tooltip = this.current.tooltip;
    const state = this.current.status?.state;
    this.item.backgroundColor = state === 'unreachable' ? new vscode.ThemeColor('statusBarItem.errorBackground')
      : state === 'stale' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
