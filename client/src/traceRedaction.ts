// Keeps passwords and passphrases out of the LSP trace. The answer to AskSecretRequest travels
// back to the server as a JSON-RPC result, and vscode-languageclient logs results verbatim when a
// user turns on `libvirtHostdev.trace.server` (text "verbose", or the JSON format). Every trace line
// goes through this filter before it reaches the output channel. No vscode import: unit-tested in node.
import { AskSecretRequest } from '../../shared/protocol';

const REDACTED = '<redacted>';

export class SecretTraceFilter {
  /** ids of AskSecret requests seen in the JSON trace, until their response is logged */
  private readonly pending = new Set<string | number>();

  filter(line: string): string {
    // Text format: one entry holds the header and, after "Result:", the result itself.
    if (line.includes(`Sending response '${AskSecretRequest.method} - (`)) {
      const at = line.indexOf('Result:');
      return at === -1 ? line : `${line.slice(0, at)}Result: ${REDACTED}`;
    }
    // JSON format: the response names only the id of the request it answers.
    if (!line.startsWith('{') || !line.includes('"isLSPMessage"')) return line;
    let entry: { type?: string; message?: { id?: string | number; method?: string; result?: unknown; error?: unknown } };
    try {
      entry = JSON.parse(line);
    } catch {
      return line;
    }
    const message = entry.message;
    if (!message || message.id === undefined) return line;
    if (entry.type === 'receive-request' && message.method === AskSecretRequest.method) this.pending.add(message.id);
    if (entry.type === 'send-response' && this.pending.delete(message.id) && message.result !== undefined) {
      message.result = REDACTED;
      return JSON.stringify(entry);
    }
    return line;
  }
}
