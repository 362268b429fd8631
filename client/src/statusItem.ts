// The language status item (the `{}` next to "XML" in the status bar): active host, free/total VFs,
// stale/unreachable state; its action → Select Host. Scoped to the libvirt documents that are open,
// so a pom.xml or a .csproj shows nothing of ours.
import * as vscode from 'vscode';
import type { InventoryStatus } from '../../shared/protocol';
import * as config from './config';
import { LibvirtDocuments } from './libvirtDocuments';
import { describeStatus, oneRow, type StatusView } from './statusText';

export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly disposables: vscode.Disposable[];
  private readonly documents = new LibvirtDocuments();
  current: StatusView = describeStatus(null, false);

  constructor(
    id: string,
    private readonly command: string,
  ) {
    this.item = vscode.languages.createLanguageStatusItem(id, []);
    this.disposables = [this.item, this.documents, this.documents.onDidChange(() => this.updateSelector())];
    this.item.name = 'libvirt Hostdev';
    this.render();
    this.updateSelector();
  }

  /** Whether the item is shown for this document (tests and the first-run walk-through ask). */
  isShownFor(uri: vscode.Uri): boolean {
    return this.documents.has(uri);
  }

  /** the active editor's document kind, as the document commands' menus see it */
  get activeDocumentKind(): string | undefined {
    return this.documents.activeKind;
  }

  update(status: InventoryStatus | null, serverRunning: boolean): void {
    this.current = describeStatus(status, serverRunning, config.workspaceHostsBlocked());
    this.render();
  }

  private updateSelector(): void {
    this.item.selector = this.documents.uris.map((uri): vscode.DocumentFilter =>
      uri.scheme === 'file'
        ? { language: 'xml', scheme: 'file', pattern: literalGlob(uri.fsPath) }
        : { language: 'xml', scheme: uri.scheme, pattern: literalGlob(uri.path) },
    );
  }

  private render(): void {
    this.item.text = this.current.text;
    this.item.detail = oneRow(this.current.tooltip);
    this.item.command = this.current.restricted
      ? { title: 'Manage Workspace Trust', command: 'workbench.trust.manage', tooltip: 'Trust this workspace to use its hosts and attach' }
      : { title: 'Select Host', command: this.command, tooltip: 'Pick the host whose VF inventory is used' };
    const state = this.current.status?.state;
    this.item.severity =
      state === 'unreachable'
        ? vscode.LanguageStatusSeverity.Error
        : state === 'stale' || this.current.restricted
          ? vscode.LanguageStatusSeverity.Warning
          : vscode.LanguageStatusSeverity.Information;
    this.item.busy = state === 'loading';
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** A glob that matches exactly this path: glob characters are put in brackets. */
function literalGlob(path: string): string {
  return path.replace(/[[\]{}*?!]/g, (c) => `[${c}]`);
}
