// `libvirt-hostdev check`: validates files like a compiler would, against an optional inventory
// (snapshot file or live host). Exit codes: 0 no error-severity diagnostic, 1 at least one,
// 2 usage / unreadable file / bad inventory / host failure.
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readInventoryFile } from '../inventory/fileProvider';
import { validate, type Inventory, type Problem, type Severity } from '../service/index';
import { fetchInventoryForCli, type CliIO } from './hostCommands';
import { decodeText, oneLine, UsageError } from './util';

export const CHECK_USAGE = `Usage: libvirt-hostdev check [--inventory FILE | --host TARGET [--connect URI] [--sysfs-root DIR]
                              [--identity FILE] [--accept-new-host-key] [--timeout SECONDS]]
                              [--format text|json] FILE...

Checks libvirt domain XML (or bare <interface type='hostdev'> / <hostdev> snippets) against
libvirt's rules and, with --inventory or --host, against the host's SR-IOV VFs, guests and networks.

  --inventory FILE        an inventory snapshot (libvirt-hostdev-inventory/1 JSON)
  --host TARGET           read the inventory live: local, [user@]host[:port] or an ~/.ssh/config alias
  --connect URI           libvirt URI on that host (default qemu:///system)
  --sysfs-root DIR        read sysfs from DIR instead of /sys
  --identity FILE         SSH private key
  --accept-new-host-key   trust an unknown SSH host key (and remember it)
  --timeout SECONDS       how long the host may take to answer (default 60)
  --format text|json      output format (default text)

Exit status: 0 no errors, 1 errors found, 2 usage error, unreadable file, bad inventory or host failure.
`;

export type OutputFormat = 'text' | 'json';

export interface CheckOptions {
  files: string[];
  format: OutputFormat;
  inventoryFile?: string;
  host?: string;
  connect?: string;
  sysfsRoot?: string;
  identityFile?: string;
  acceptNewHostKey: boolean;
  timeoutMs?: number;
}

export function parseCheckArgs(args: string[]): CheckOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        inventory: { type: 'string' },
        host: { type: 'string' },
        connect: { type: 'string' },
        'sysfs-root': { type: 'string' },
        identity: { type: 'string' },
        'accept-new-host-key': { type: 'boolean' },
        timeout: { type: 'string' },
        format: { type: 'string' },
      },
    });
  } catch (e) {
    // node's message goes on about '--' for positionals; the first sentence is the reason.
    throw new UsageError(oneLine(e).replace(/\. To specify a positional.*$/, ''));
  }
  const v = parsed.values;
  const format = v.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
  if (v.inventory !== undefined && v.host !== undefined) throw new UsageError('--inventory and --host cannot be used together');
  for (const hostOnly of ['connect', 'sysfs-root', 'identity', 'accept-new-host-key', 'timeout'] as const) {
    if (v[hostOnly] !== undefined && v.host === undefined) throw new UsageError(`--${hostOnly} needs --host`);
  }
  if (parsed.positionals.length === 0) throw new UsageError('no FILE to check');
  const timeout = v.timeout === undefined ? undefined : Number(v.timeout);
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) throw new UsageError(`--timeout must be a number of seconds, not '${v.timeout}'`);
  return {
    files: parsed.positionals,
    format,
    inventoryFile: v.inventory,
    host: v.host,
    connect: v.connect,
    sysfsRoot: v['sysfs-root'],
    identityFile: v.identity,
    acceptNewHostKey: v['accept-new-host-key'] ?? false,
    ...(timeout !== undefined ? { timeoutMs: Math.round(timeout * 1000) } : {}),
  };
}

interface JsonDiagnostic {
  code: string;
  severity: Severity;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

interface FileResult {
  file: string;
  document: TextDocument;
  problems: Problem[];
}

export async function runCheck(args: string[], io: CliIO): Promise<number> {
  const options = parseCheckArgs(args);
  let inventory: Inventory | null = null;
  try {
    if (options.inventoryFile !== undefined) inventory = await readInventoryFile(options.inventoryFile);
    else if (options.host !== undefined) {
      inventory = await fetchInventoryForCli({
        host: options.host, connect: options.connect, sysfsRoot: options.sysfsRoot,
        identityFile: options.identityFile, acceptNewHostKey: options.acceptNewHostKey, timeoutMs: options.timeoutMs,
      }, io);
    }
  } catch (e) {
    io.stderr(`libvirt-hostdev: ${oneLine(e)}\n`);
    return 2;
  }

  let unreadable = false;
  const results: FileResult[] = [];
  for (const file of options.files) {
    const text = readSource(file, io);
    if (text === null) { unreadable = true; continue; }
    const problems = [...validate(text, { inventory })].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
    results.push({ file, document: TextDocument.create(file, 'xml', 1, text), problems });
  }

  if (options.format === 'json') io.stdout(JSON.stringify(results.map(toJson), null, 2) + '\n');
  else io.stdout(results.map(formatText).join('') + summary(results, options.files.length));

  if (unreadable) return 2;
  return results.some((r) => r.problems.some((p) => p.severity === 'error')) ? 1 : 0;
}

/** Editors and tools cannot point into binary files; refuse them with a reason instead of a flood of errors. */
const MAX_SOURCE_BYTES = 64 * 1024 * 1024;

function readSource(file: string, io: CliIO): string | null {
  let bytes: Buffer;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new Error('not a regular file');
    if (stat.size > MAX_SOURCE_BYTES) throw new Error(`${stat.size} bytes is larger than ${MAX_SOURCE_BYTES}`);
    bytes = fs.readFileSync(file);
  } catch (e) {
    io.stderr(`libvirt-hostdev: ${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? oneLine(e)}\n`);
    return null;
  }
  const decoded = decodeText(bytes);
  if (decoded.binaryAt !== null) {
    io.stderr(`libvirt-hostdev: ${file}: binary file (NUL byte at offset ${decoded.binaryAt}), not XML\n`);
    return null;
  }
  return decoded.text;
}

function toJson(r: FileResult): { file: string; diagnostics: JsonDiagnostic[] } {
  return {
    file: r.file,
    diagnostics: r.problems.map((p) => ({
      code: p.code,
      severity: p.severity,
      message: p.message,
      range: { start: r.document.positionAt(p.span.start), end: r.document.positionAt(p.span.end) },
    })),
  };
}

/** gcc style: `file:line:col: severity code: message`, then the line and a caret under the range. */
function formatText(r: FileResult): string {
  let out = '';
  for (const p of r.problems) {
    const start = r.document.positionAt(p.span.start);
    const end = r.document.positionAt(p.span.end);
    const message = p.message.replace(/\r?\n/g, '\n    ');
    out += `${r.file}:${start.line + 1}:${start.character + 1}: ${p.severity} ${p.code}: ${message}\n`;
    out += excerpt(r.document, start, end);
  }
  return out;
}

const EXCERPT_WIDTH = 120;

function excerpt(doc: TextDocument, start: { line: number; character: number }, end: { line: number; character: number }): string {
  const line = doc.getText({ start: { line: start.line, character: 0 }, end: { line: start.line + 1, character: 0 } }).replace(/\r?\n$/, '');
  // Long (minified, generated) lines: show a window around the column.
  const from = Math.max(0, Math.min(start.character - 40, line.length - EXCERPT_WIDTH));
  const shown = line.slice(from, from + EXCERPT_WIDTH).replace(/\t/g, ' ').replace(/[\x00-\x1f\x7f]/g, '?');
  if (shown.trim() === '') return '';
  const caretStart = start.character - from;
  const caretEnd = end.line === start.line ? Math.max(end.character - from, caretStart + 1) : shown.length;
  const width = Math.max(1, Math.min(caretEnd, shown.length + 1) - caretStart);
  return `    ${shown}\n    ${' '.repeat(caretStart)}^${'~'.repeat(width - 1)}\n`;
}

function summary(results: FileResult[], asked: number): string {
  const count: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const r of results) for (const p of r.problems) count[p.severity]++;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const files = `${plural(results.length, 'file')} checked${results.length < asked ? ` (${asked - results.length} unreadable)` : ''}`;
  const total = count.error + count.warning + count.information + count.hint;
  if (total === 0) return `${files}: no problems\n`;
  const parts = [plural(count.error, 'error'), plural(count.warning, 'warning')];
  if (count.information) parts.push(`${count.information} information`);
  if (count.hint) parts.push(plural(count.hint, 'hint'));
  return `${files}: ${parts.join(', ')}\n`;
}
