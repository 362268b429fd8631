// What `check` reads: files, `-` (standard input), directories (every *.xml below, recursively) and
// glob patterns the shell did not expand (quoted, or from a Windows shell or a CI config).
import { type Dirent, type Stats, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type Picomatch from 'picomatch';
import { StreamTooLarge, type CliIO } from './io';
import { loadGlobMatcher } from './lazy';
import { decodeText } from './sourceBytes';
import { FileTooLarge, NotARegularFile, readBoundedFileSync, fileErrorReason } from '../../../shared/boundedFile';
import { inertLine } from '../../../shared/inertControls';
import { MAX_DOCUMENT_CHARS, type Problem } from '../service/index';

/** how standard input is named in reports when --stdin-filename gives it no name */
export const UNNAMED_STDIN = '<stdin>';

/** One thing to check: a path on disk or standard input (shown under `name`). */
export interface Input {
  name: string;
  stdin: boolean;
  /** a directory below a directory given that cannot be read: why (it is reported, the files beside it are checked) */
  unreadable?: string;
}

/**
 * Inputs larger than libvirt takes are refused with a reason, before they are read: parsing tens of
 * megabytes would take seconds and gigabytes for a document libvirt cannot be given anyway.
 */
export const MAX_SOURCE_BYTES = MAX_DOCUMENT_CHARS;
/**
 * Why an input is not read: its size when known (a file) and the limit. Standard input is read only up
 * to the limit, so its size is not known (`size` null).
 */
export function overLimit(size: number | null): string {
  const known = size === null ? '' : `${size} bytes, `;
  return `${known}more than the ${MAX_SOURCE_BYTES} bytes (${MAX_SOURCE_BYTES / (1024 * 1024)} MiB) libvirt takes`;
}

/** A directory or pattern that yields more files than this is refused: a mistyped root, not a project. */
export const MAX_INPUT_FILES = 50_000;

/**
 * Directories a recursive search does not enter (dependencies and VCS data, not guests), unless a
 * pattern names one (`**\/node_modules/*.xml`).
 */
const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn']);
const NOTHING_SKIPPED: ReadonlySet<string> = new Set();

/** Why nothing was found when the files are in skipped directories (`found`: the same search skipping none), as ESLint says it. */
function onlySkipped(found: readonly string[]): string {
  if (found.length === 0) return '';
  const names = [...SKIPPED_DIRECTORIES];
  const there = found.length === 1 ? `1 there: ${inertLine(found[0])}` : `${found.length} there, such as ${inertLine(found[0])}`;
  return ` outside ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}, which are not searched (${there}); name such a directory to check it`;
}

export class InputError extends Error {}

/**
 * The inputs of the command line, in order, without duplicates. A directory yields its *.xml files
 * (sorted, symlinked directories not followed so a loop cannot run forever); a pattern that is not an
 * existing path is expanded as a glob. Throws InputError when a pattern or directory yields no file or a limit is hit.
 */
export function expandInputs(args: readonly string[], stdinName: string): Input[] {
  const seen = new Set<string>();
  const out: Input[] = [];
  const add = (file: string): void => {
    const key = path.resolve(file);
    if (seen.has(key)) return;
    if (out.length >= MAX_INPUT_FILES)
      throw new InputError(`more than ${MAX_INPUT_FILES} files to check; name fewer directories or patterns`);
    seen.add(key);
    out.push({ name: file, stdin: false });
  };
  for (const arg of args) {
    if (arg === '-') {
      if (!out.some((i) => i.stdin)) out.push({ name: stdinName, stdin: true });
      continue;
    }
    const stat = statOrNull(arg);
    if (stat?.isDirectory()) {
      // like a pattern that matches nothing: a mistyped or emptied directory must not pass a CI gate
      const found = xmlFilesUnder(arg);
      if (found.length === 0)
        throw new InputError(
          `${arg}: no *.xml file in this directory${onlySkipped(xmlFilesUnder(arg, NOTHING_SKIPPED).flatMap((f) => (f.unreadable === undefined ? [f.name] : [])))}`,
        );
      for (const f of found)
        if (f.unreadable === undefined) add(f.name);
        else out.push(f);
    } else if (stat === null && picomatch().scan(arg).isGlob) {
      const matches = filesMatching(arg);
      if (matches.length === 0)
        throw new InputError(`${arg}: no file matches this pattern${onlySkipped(filesMatching(arg, NOTHING_SKIPPED))}`);
      for (const f of matches) add(f);
    } else {
      add(arg); // a missing or unreadable file is reported when it is read
    }
  }
  return out;
}

/** picomatch, loaded for the first argument that is not an existing path (most runs name files or directories). */
function picomatch(): typeof Picomatch {
  return loadGlobMatcher().picomatch;
}

function statOrNull(file: string): Stats | null {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}

/**
 * `**` reaches into directories only as a whole path segment, as in bash's globstar and zsh; elsewhere
 * (`**.xml`, `a**`) it is `*`, which picomatch would read as any depth.
 */
function shellGlobstars(pattern: string): string {
  return pattern
    .split('/')
    .map((segment) => (segment === '**' ? segment : segment.replace(/\*{2,}/g, '*')))
    .join('/');
}

/**
 * The files a glob matches, walking only below the pattern's literal base directory and no deeper than
 * the pattern reaches; as a shell does, a directory it cannot read below that base matches nothing.
 */
function filesMatching(pattern: string, skipped: ReadonlySet<string> = SKIPPED_DIRECTORIES): string[] {
  const { base, glob } = picomatch().scan(shellGlobstars(pattern));
  const named = new Set(glob.split('/'));
  const isMatch = picomatch()(glob, { dot: false });
  const root = base === '' ? '.' : base;
  if (statOrNull(root)?.isDirectory() !== true) return [];
  // `*/x.xml` reaches one directory down; only `**` reaches any depth (a '/' inside braces counts too,
  // which only walks deeper than needed)
  const depth = glob.includes('**') ? Infinity : glob.split('/').length - 1;
  // The glob part is matched below the base, as a shell does: walk() yields paths joined (and so
  // normalized) onto the base, which `ex/./*.xml`, `ex//*.xml` or `a/../ex/*.xml` would no longer match whole.
  const keep = (file: string): boolean => isMatch(path.relative(root, file).split(path.sep).join('/'));
  const skip = new Set([...skipped].filter((d) => !named.has(d)));
  return walk(root, keep, pattern, { depth, unreadable: 'skip', skip }).map((f) => f.name);
}

/** The *.xml files below `root`, and each directory there (`root` too) that cannot be read, with why. */
function xmlFilesUnder(root: string, skip: ReadonlySet<string> = SKIPPED_DIRECTORIES): Input[] {
  return walk(root, (file) => file.toLowerCase().endsWith('.xml'), root, { depth: Infinity, unreadable: 'report', skip });
}

/**
 * Files below `root` that `keep` accepts, sorted by name per directory, at most `depth` directories down.
 * A symbolic link counts as the file it points to; one to a directory is not followed (a loop cannot run
 * forever). `unreadable`: what a directory that cannot be read does: `skip`, passed over below `root`
 * (`root` itself is an error), or `report`, an entry with the reason in its place, `root` too. `skip`:
 * the names of directories not entered below `root`.
 */
function walk(
  root: string,
  keep: (file: string) => boolean,
  what: string,
  options: { depth: number; unreadable: 'report' | 'skip'; skip: ReadonlySet<string> },
): Input[] {
  const files: Input[] = [];
  const visit = (dir: string, level: number): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      const reason = `cannot read directory: ${fileErrorReason(e)}`;
      if (options.unreadable === 'report') files.push({ name: dir, stdin: false, unreadable: reason });
      else if (level === 0) throw new InputError(`${inertLine(dir)}: ${reason}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (level < options.depth && !options.skip.has(e.name)) visit(full, level + 1);
      } else if (!(e.isSymbolicLink() && statOrNull(full)?.isDirectory() === true) && keep(full)) {
        // a link to nothing, a FIFO or a device is kept: reading it says why it is not checked (never waited on)
        if (files.length >= MAX_INPUT_FILES) throw new InputError(`more than ${MAX_INPUT_FILES} files match ${what}`);
        files.push({ name: full, stdin: false });
      }
    }
  };
  visit(root, 0);
  return files;
}

/**
 * An input that is not checked, and why, in the words of its line on stderr. One over the size libvirt
 * takes also has `tooLarge` (its size in bytes, null for standard input, which is read only up to the
 * limit): it still gets its `document-size` error.
 */
export interface NotChecked {
  reason: string;
  tooLarge?: { size: number | null };
}

/** An input read: its text, and the problems of its bytes the text no longer shows (a sequence that is not UTF-8). */
export interface ReadInput {
  text: string;
  decodingProblems: Problem[];
}

/** The text of one input, or why it cannot be checked (also said in one line on stderr). */
export async function readInput(input: Input, io: CliIO): Promise<ReadInput | NotChecked> {
  const notChecked = (reason: string, tooLarge?: NotChecked['tooLarge']): NotChecked => {
    io.stderr(`libvirt-hostdev: ${inertLine(input.name)}: ${reason}${tooLarge ? ': not checked' : ''}\n`);
    return tooLarge ? { reason, tooLarge } : { reason };
  };
  if (input.unreadable !== undefined) return notChecked(input.unreadable);
  let bytes: Buffer;
  try {
    if (input.stdin) {
      if (!io.readStdin) throw new Error('standard input is not available');
      bytes = await io.readStdin(MAX_SOURCE_BYTES);
    } else {
      bytes = readBoundedFileSync(input.name, MAX_SOURCE_BYTES);
    }
  } catch (e) {
    if (e instanceof StreamTooLarge) return notChecked(overLimit(null), { size: null });
    if (e instanceof FileTooLarge) return notChecked(overLimit(e.size), { size: e.size });
    // a FIFO could block for ever and a device never end: a pipe comes in as standard input, within its budget
    if (e instanceof NotARegularFile) return notChecked(`cannot read: ${fileErrorReason(e)} (for a pipe or /dev/stdin, give - instead)`);
    return notChecked(`cannot read: ${fileErrorReason(e)}`);
  }
  const decoded = decodeText(bytes);
  if (decoded.binaryAt !== null) return notChecked(`binary file (NUL byte at offset ${decoded.binaryAt}), not XML`);
  return { text: decoded.text, decodingProblems: decoded.encodingError ? [decoded.encodingError] : [] };
}
