// `check`'s output formats over one list of results: text (compiler style, coloured on a terminal),
// json, github (workflow commands) and sarif (sarif.ts).
import type { LinePosition, LineTable, Problem, Severity, SuppressedProblem } from '../service/index';
import { plural } from './util';
import type { CHECK_FORMATS } from './commandSpecs';
import { inertControls, inertLine, TERMINAL_CONTROL } from '../../../shared/inertControls';
import { githubFile } from './ciPaths';
import { NOT_LIBVIRT_XML } from './notLibvirt';

export type OutputFormat = (typeof CHECK_FORMATS)[number];

/** A problem taken off, and whether by a comment in the file itself (SARIF's inSource) or from outside it (--disable, a config file). */
export interface ReportedSuppression extends SuppressedProblem {
  inSource: boolean;
}

export interface FileResult {
  file: string;
  /** the checked text's lines, for the problems' positions */
  lines: LineTable;
  problems: Problem[];
  suppressed: ReportedSuppression[];
  /** why the input was not checked (unreadable, binary, over the size libvirt takes); its line on stderr says the same */
  notChecked?: string;
  /** why the input was read but skipped: `not libvirt XML: …` (another vocabulary); its line on stderr says the same */
  skipped?: string;
  /** the checked text is a guest's persistent definition on a host (check --guests), not a file */
  guest?: { host: string; name: string };
}

type Colours = Record<'bold' | 'dim' | 'red' | 'yellow' | 'blue' | 'cyan' | 'green', (text: string) => string>;

/** Text without escapes, as picocolors' createColors(false) gives it. */
const PLAIN: Colours = { bold: String, dim: String, red: String, yellow: String, blue: String, cyan: String, green: String };

/** picocolors is loaded only to colour: loading it reads process.stdout.isTTY, which builds node's stream of stdout. */
function colours(enabled: boolean): Colours {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return enabled ? (require('picocolors') as typeof import('picocolors')).createColors(true) : PLAIN;
}

export interface JsonDiagnostic {
  code: string;
  severity: Severity;
  message: string;
  range: { start: LinePosition; end: LinePosition };
}

function jsonDiagnostic(r: FileResult, p: Problem): JsonDiagnostic {
  return {
    code: p.code,
    severity: p.severity,
    message: p.message,
    range: { start: r.lines.positionAt(p.span.start), end: r.lines.positionAt(p.span.end) },
  };
}

export function formatJson(results: readonly FileResult[], write: (text: string) => void): void {
  writeJsonArray(
    results.map((r) => () => ({
      file: r.file,
      diagnostics: r.problems.map((p) => jsonDiagnostic(r, p)),
      suppressed: r.suppressed.map((p) => ({
        ...jsonDiagnostic(r, p),
        suppressedBy: p.suppressedBy,
        ...(p.reason !== undefined ? { reason: p.reason } : {}),
      })),
      ...(r.notChecked !== undefined ? { notChecked: r.notChecked } : {}),
      ...(r.skipped !== undefined ? { skipped: r.skipped } : {}),
      ...(r.guest !== undefined ? { guest: r.guest } : {}),
    })),
    write,
  );
  write('\n');
}

/**
 * The items `makers` make, as `JSON.stringify(items, null, 2)` lays them out with its lines after `indent`,
 * handed to `write` in pieces, each item made only when its turn comes: a report of a million problems is
 * never one string (V8 refuses a string of 512 MiB, and the report was lost) nor one list of them all.
 */
export function writeJsonArray(makers: Iterable<() => unknown>, write: (text: string) => void, indent = ''): void {
  const inner = `\n${indent}  `;
  let out = '';
  let first = true;
  for (const make of makers) {
    // a line feed inside a string is written \n by JSON.stringify: only the layout's lines are indented
    out += `${first ? '[' : ','}${inner}${JSON.stringify(make(), null, 2).replace(/\n/g, inner)}`;
    first = false;
    if (out.length >= OUTPUT_PIECE) {
      write(out);
      out = '';
    }
  }
  write(first ? '[]' : `${out}\n${indent}]`);
}

/**
 * The formats of one line per problem hand their text to `write` in pieces of about this many
 * characters: a report of thousands of problems is never held whole. Held whole, it is a string of
 * thousands of pieces that every young collection copies, and one large copy at the end to write it.
 */
const OUTPUT_PIECE = 32 * 1024;

/** GitHub Actions workflow commands: `::error file=F,line=L,col=C,endLine=…,endColumn=…,title=CODE::message`. */
export function formatGithub(results: readonly FileResult[], cwd: string, write: (text: string) => void): void {
  let out = '';
  for (const r of results) {
    // escaped once per file, not per problem
    const file = `file=${escapeProperty(inertControls(githubFile(r, cwd)))}`;
    // an input not read says why, unless its document-size error does
    if (r.notChecked !== undefined && r.problems.length === 0) out += `::error ${file},title=not checked::${escapeData(r.notChecked)}\n`;
    if (r.skipped !== undefined) out += `::notice ${file},title=skipped::${escapeData(inertControls(r.skipped))}\n`;
    for (const p of r.problems) {
      const start = r.lines.positionAt(p.span.start);
      const end = r.lines.positionAt(p.span.end);
      const command = p.severity === 'error' ? 'error' : p.severity === 'warning' ? 'warning' : 'notice';
      const props = [
        file,
        `line=${start.line + 1}`,
        `col=${start.character + 1}`,
        `endLine=${end.line + 1}`,
        `endColumn=${end.character + 1}`,
        `title=${escapeProperty(p.code)}`,
      ];
      out += `::${command} ${props.join(',')}::${escapeData(inertControls(p.message))}\n`;
      if (out.length >= OUTPUT_PIECE) {
        write(out);
        out = '';
      }
    }
  }
  if (out !== '') write(out);
}

// The escapes of @actions/core's command.ts (the runner unescapes exactly these).
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** gcc style: `file:line:col: severity code: message`, then the line (behind its number and a `|`) and a caret under the range. */
/** `notShown`: the problems other than errors that --quiet leaves out of `results`, which the summary counts */
export function formatText(results: readonly FileResult[], colour: boolean, write: (text: string) => void, notShown = 0): void {
  const c = colours(colour);
  let out = '';
  for (const r of results) {
    // on one line: a line feed in a file's name would forge a report line
    const file = lineStart(inertLine(r.file));
    for (const p of r.problems) {
      const start = r.lines.positionAt(p.span.start);
      const end = r.lines.positionAt(p.span.end);
      // a message quotes the document (a MAC written with &#10;): on one line, as the file's name
      const message = inertLine(p.message);
      out += `${c.bold(`${file}:${start.line + 1}:${start.character + 1}:`)} ${severityColour(c, p.severity)(p.severity)} ${c.dim(p.code)}: ${message}\n`;
      out += excerpt(r.lines, start, end, c);
      if (out.length >= OUTPUT_PIECE) {
        write(out);
        out = '';
      }
    }
  }
  write(out + summary(results, notShown));
}

/**
 * A CI runner reads the job's output for its own commands (GitHub Actions: a line that starts, after its
 * blanks, with `::` or `##[`). A report line never starts so: a file's name that would is shown from `./`,
 * and quoted lines of the document stand behind a `|` gutter, as gcc shows them.
 */
function lineStart(file: string): string {
  return /^\s*(?::|#)/.test(file) ? `./${file}` : file;
}

function severityColour(c: Colours, s: Severity): (text: string) => string {
  return s === 'error' ? (t) => c.bold(c.red(t)) : s === 'warning' ? (t) => c.bold(c.yellow(t)) : s === 'information' ? c.blue : c.cyan;
}

const EXCERPT_WIDTH = 120;
/** the width of the line number before a quoted line's `|`, as gcc gives it */
const EXCERPT_GUTTER = 5;

const TERMINAL_CONTROLS = new RegExp(TERMINAL_CONTROL.source, 'g');

function excerpt(lines: LineTable, start: LinePosition, end: LinePosition, c: Colours): string {
  const line = withoutLineFeed(lines.lineWithBreak(start.line));
  // Long (minified, generated) lines: show a window around the column.
  const from = Math.max(0, Math.min(start.character - 40, line.length - EXCERPT_WIDTH));
  const window = line.slice(from, from + EXCERPT_WIDTH);
  // Terminal controls (an ESC among them) never reach the terminal from a checked file: one character
  // each, so the caret stays under its column. A report of a thousand problems tests each line once
  // instead of replacing in every one.
  const shown = TERMINAL_CONTROL.test(window) ? window.replace(/\t/g, ' ').replace(TERMINAL_CONTROLS, '?') : window;
  if (shown.trim() === '') return '';
  const caretStart = start.character - from;
  const caretEnd = end.line === start.line ? Math.max(end.character - from, caretStart + 1) : shown.length;
  const width = Math.max(1, Math.min(caretEnd, shown.length + 1) - caretStart);
  const number = String(start.line + 1).padStart(EXCERPT_GUTTER);
  return `${number} | ${shown}\n${' '.repeat(EXCERPT_GUTTER)} | ${' '.repeat(caretStart)}${c.green(`^${'~'.repeat(width - 1)}`)}\n`;
}

/** The line without its final \n, \r\n or \r: the line table ends a line at each, as LSP does. */
function withoutLineFeed(line: string): string {
  const n = line.length;
  const last = n === 0 ? -1 : line.charCodeAt(n - 1);
  if (last === 13) return line.substring(0, n - 1);
  if (last !== 10) return line;
  return line.substring(0, n > 1 && line.charCodeAt(n - 2) === 13 ? n - 2 : n - 1);
}

export function countBySeverity(results: readonly FileResult[]): Record<Severity, number> {
  const count: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const r of results) for (const p of r.problems) count[p.severity]++;
  return count;
}

function summary(results: readonly FileResult[], notShown: number): string {
  const count = countBySeverity(results);
  const notChecked = results.filter((r) => r.notChecked !== undefined).length;
  const skipped = results.filter((r) => r.skipped !== undefined).length;
  const definitions = results.filter((r) => r.guest !== undefined).length;
  const checked = results.length - notChecked - skipped;
  const fileCount = checked - definitions;
  const what =
    definitions === 0
      ? plural(fileCount, 'file')
      : `${fileCount > 0 ? `${plural(fileCount, 'file')} and ` : ''}${plural(definitions, 'guest definition')}`;
  const skippedNote = skipped > 0 ? `, ${skipped} skipped (${NOT_LIBVIRT_XML})` : '';
  // a file over the size budget was not read either, but it is no unreadable one: it has its document-size error
  const tooLarge = results.filter((r) => r.notChecked !== undefined && r.problems.some((p) => p.code === 'document-size')).length;
  const notRead = [
    ...(notChecked > tooLarge ? [`${notChecked - tooLarge} unreadable`] : []),
    ...(tooLarge > 0 ? [`${tooLarge} too large`] : []),
  ];
  const files = `${what} checked${skippedNote}${notRead.length > 0 ? ` (${notRead.join(', ')})` : ''}`;
  const suppressed = results.reduce((n, r) => n + r.suppressed.length, 0);
  const suppressedNote = suppressed > 0 ? ` (${suppressed} suppressed)` : '';
  const total = count.error + count.warning + count.information + count.hint;
  const quietNote = notShown > 0 ? ` (${plural(notShown, 'other problem')} not shown: --quiet)` : '';
  // nothing read, nothing found: no verdict on files that were not checked
  if (total === 0)
    return checked === 0 ? `${files}\n` : `${files}: no ${notShown > 0 ? 'errors' : 'problems'}${suppressedNote}${quietNote}\n`;
  if (notShown > 0) return `${files}: ${plural(count.error, 'error')}${suppressedNote}${quietNote}\n`;
  // what was found, by severity; a severity with none is left out, as from every other summary
  const parts: string[] = [];
  if (count.error) parts.push(plural(count.error, 'error'));
  if (count.warning) parts.push(plural(count.warning, 'warning'));
  if (count.information) parts.push(`${count.information} information`);
  if (count.hint) parts.push(plural(count.hint, 'hint'));
  return `${files}: ${parts.join(', ')}${suppressedNote}\n`;
}
