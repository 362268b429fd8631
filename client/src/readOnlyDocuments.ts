// Reports the extension shows as read-only documents (the host readiness report, a diagnostic code's
// documentation): virtual documents, so closing one asks nothing and showing a report again replaces
// its text. Plain text: host data is never rendered as markup.
import * as vscode from 'vscode';

export const REPORT_SCHEME = 'libvirt-hostdev';

export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** Opens the document titled `title` (one per title) holding `text`, in an editor of its own. */
  async show(title: string, text: string): Promise<void> {
    // a tab title, not a path: a configured host name may hold anything
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${title.replace(/[^\w.@: '-]/g, '_')}` });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
