// Status bar item: active host, free/total VFs, stale/unreachable state; click → Select Host.
import * as vscode from 'vscode';
import type { InventoryStatus } from '../../shared/protocol';
import { describeStatus, type StatusView } from './statusText';

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
