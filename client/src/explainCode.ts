// "Show documentation for CODE" (the code action the server offers beside each problem's fixes) and
// "libvirt: Show Diagnostic Code Documentation…" (pick a code): the code explained as
// `libvirt-hostdev rules CODE` prints it, under the project config of the document it came from.
import * as vscode from 'vscode';
import { ExplainCodeRequest, type ExplainCodeParams } from '../../shared/protocol';
import { RULE_DOCS } from '../../shared/ruleDocs';
import type { Ctx } from './ctx';
import { notify } from './notify';
import type { ReadOnlyDocuments } from './readOnlyDocuments';

const isExplainArgs = (v: unknown): v is ExplainCodeParams =>
  typeof v === 'object' && v !== null && typeof (v as { code?: unknown }).code === 'string';

/** Shows the documentation of the code in `args`, or of one picked from every code; resolves to the text shown (undefined: none). */
export async function explainCode(ctx: Ctx, documents: ReadOnlyDocuments, args?: unknown): Promise<string | undefined> {
  const client = await ctx.languageClient();
  let params: ExplainCodeParams;
  if (isExplainArgs(args)) params = { code: args.code, ...(typeof args.uri === 'string' ? { uri: args.uri } : {}) };
  else {
    const code = await pickCode(ctx);
    if (code === undefined) return undefined;
    // the severity the focused document's project gives it
    const editor = vscode.window.activeTextEditor;
    params = { code, ...(editor?.document.uri.scheme === 'file' ? { uri: client.code2ProtocolConverter.asUri(editor.document.uri) } : {}) };
  }
  const result = await client.sendRequest(ExplainCodeRequest, params);
  if (!result) {
    void notify('error', `Unknown diagnostic code '${params.code}'.`);
    return undefined;
  }
  await documents.show(params.code, result.text);
  return result.text;
}

async function pickCode(ctx: Ctx): Promise<string | undefined> {
  const scripted = ctx.answers.take('code', 'Show Diagnostic Code Documentation');
  if (scripted) return scripted.answer;
  const picked = await vscode.window.showQuickPick(
    Object.entries(RULE_DOCS).map(([code, doc]) => ({ label: code, description: doc.severity, detail: doc.summary })),
    { placeHolder: 'the diagnostic code to explain', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.label;
}
