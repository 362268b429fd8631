// The language status item (the `{}` next to "XML" in the status bar): active host, free/total VFs,
// stale/unreachable state; its action → Select Host. Scoped to the libvirt documents that are open,
// so a pom.xml or a .csproj shows nothing of ours.
import * as vscode from 'vscode';
import type { InventoryStatus } from '../../shared/protocol';
import { documentKind } from '../../shared/documents';
import * as config from './config';
import { describeStatus, type StatusView } from './statusText';

/** The root element is read from this much of a document, as the server does. */
const ROOT_SCAN_CHARS = 64 * 1024;

export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly disposables: vscode.Disposable[];
  /** open libvirt documents, by URI */
  private readonly libvirtDocuments = new Map<string, vscode.Uri>();
  current: StatusView = describeStatus(null, false);

  constructor(
    id: string,
    private readonly command: string,
  ) {
    this.item = vscode.languages.createLanguageStatusItem(id, []);
    this.disposables = [this.item];
    this.item.name = 'libvirt Hostdev';
    this.render();
    for (const doc of vscode.workspace.textDocuments) this.classify(doc);
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((doc) => this.classify(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => this.classify(e.document)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('libvirtHostdev.files')) for (const doc of vscode.workspace.textDocuments) this.classify(doc);
      }),
    );
    this.updateSelector();
  }

  /** Whether the item is shown for this document (tests and the first-run walk-through ask). */
  isShownFor(uri: vscode.Uri): boolean {
    return this.libvirtDocuments.has(uri.toString());
  }

  update(status: InventoryStatus | null, serverRunning: boolean): void {
    this.current = describeStatus(status, serverRunning, config.workspaceHostsBlocked());
    this.render();
  }

  private classify(doc: vscode.TextDocument): void {
    if (doc.languageId !== 'xml') return this.forget(doc.uri);
    const head = doc.getText(new vscode.Range(new vscode.Position(0, 0), doc.positionAt(ROOT_SCAN_CHARS)));
    const isLibvirt = documentKind(head, doc.uri.scheme === 'file' ? doc.uri.fsPath : null, config.files(doc.uri)) === 'libvirt';
    const key = doc.uri.toString();
    if (isLibvirt === this.libvirtDocuments.has(key)) return;
    if (isLibvirt) this.libvirtDocuments.set(key, doc.uri);
    else this.libvirtDocuments.delete(key);
    this.updateSelector();
  }

  private forget(uri: vscode.Uri): void {
    if (this.libvirtDocuments.delete(uri.toString())) this.updateSelector();
  }

  private updateSelector(): void {
    this.item.selector = [...this.libvirtDocuments.values()].map((uri): vscode.DocumentFilter =>
      uri.scheme === 'file'
        ? { language: 'xml', scheme: 'file', pattern: literalGlob(uri.fsPath) }
        : { language: 'xml', scheme: uri.scheme, pattern: literalGlob(uri.path) },
    );
  }

  private render(): void {
    this.item.text = this.current.text;
    this.item.detail = this.current.tooltip;
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
