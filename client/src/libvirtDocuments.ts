// Which open XML documents are libvirt's (by their root element, or a `libvirtHostdev.files` glob), as
// the server decides it. The status item is scoped to them, and the context key
// `libvirtHostdev.documentKind` (libvirt, empty or other, for the active editor) keeps the document
// commands (attach, detach, define, insert) off a pom.xml's palette and context menu.
import * as vscode from 'vscode';
import { documentKind, type DocumentKind } from '../../shared/documents';
import * as config from './config';

/** The root element is read from this much of a document, as the server does. */
const ROOT_SCAN_CHARS = 64 * 1024;

export const DOCUMENT_KIND_CONTEXT = 'libvirtHostdev.documentKind';

export class LibvirtDocuments implements vscode.Disposable {
  private readonly kinds = new Map<string, DocumentKind>();
  private readonly libvirt = new Map<string, vscode.Uri>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** the set of libvirt documents changed */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[];
  /** what the context key holds; null until it is first set */
  private contextValue: DocumentKind | undefined | null = null;

  constructor() {
    for (const doc of vscode.workspace.textDocuments) this.classify(doc);
    this.disposables = [
      this.changed,
      vscode.workspace.onDidOpenTextDocument((doc) => this.classify(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => this.classify(e.document)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('libvirtHostdev.files')) for (const doc of vscode.workspace.textDocuments) this.classify(doc);
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateContext()),
    ];
    this.updateContext();
  }

  /** the open libvirt documents */
  get uris(): vscode.Uri[] {
    return [...this.libvirt.values()];
  }

  /** the kind the context key holds: the active editor's document (undefined: none, or not XML) */
  get activeKind(): DocumentKind | undefined {
    return this.contextValue ?? undefined;
  }

  has(uri: vscode.Uri): boolean {
    return this.libvirt.has(uri.toString());
  }

  private classify(doc: vscode.TextDocument): void {
    if (doc.languageId !== 'xml') return this.forget(doc.uri);
    const head = doc.getText(new vscode.Range(new vscode.Position(0, 0), doc.positionAt(ROOT_SCAN_CHARS)));
    const kind = documentKind(head, doc.uri.scheme === 'file' ? doc.uri.fsPath : null, config.files(doc.uri));
    const key = doc.uri.toString();
    const was = this.kinds.get(key);
    this.kinds.set(key, kind);
    if (kind !== was) this.updateContext();
    if ((kind === 'libvirt') === this.libvirt.has(key)) return;
    if (kind === 'libvirt') this.libvirt.set(key, doc.uri);
    else this.libvirt.delete(key);
    this.changed.fire();
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.kinds.delete(key);
    if (this.libvirt.delete(key)) this.changed.fire();
  }

  private updateContext(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const kind = doc ? this.kinds.get(doc.uri.toString()) : undefined;
    if (kind === this.contextValue) return;
    this.contextValue = kind;
    void vscode.commands.executeCommand('setContext', DOCUMENT_KIND_CONTEXT, kind);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
