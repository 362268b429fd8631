// `check --format gitlab`: GitLab's Code Quality report (a subset of the Code Climate issue format), the
// JSON a job hands to `artifacts: reports: codequality` for the merge request's Code Quality widget and
// the changes tab. Each problem is one issue: description, check_name (the code), severity, the file's
// path from the project's directory (ciPaths.ts) and its lines, and a fingerprint, by which GitLab tells
// an issue the merge request brings from one the target branch already had.
import * as path from 'node:path';
import type { Severity } from '../service/index';
import { writeJsonArray, type FileResult } from './report';
import { pathFromRoot, type ReportPaths } from './ciPaths';
import { fnv1a } from '../../../shared/fnv1a';
import { withoutAge } from '../../../shared/age';

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  location: { path: string; lines: { begin: number; end: number } };
}

/** as ESLint's GitLab formatters rank them: an error above a warning in the widget */
const SEVERITY: Record<Severity, CodeQualityIssue['severity']> = { error: 'major', warning: 'minor', information: 'info', hint: 'info' };

/** four hashes of 32 bits: 128 bits, the length of the MD5 GitLab's documentation gives as an example */
const FINGERPRINT_SEEDS = [0x811c9dc5, 0x050c5d1f, 0x1b873593, 0x6b43a9b5];

/** a line number in a message: the parser's name the line an element opened on ("opened at line 3", "from line 3") */
const LINE_NUMBER = /\bline \d+/g;

/** The check_name of an input that was not checked (unreadable, binary): GitLab has no other place for it. */
export const NOT_CHECKED = 'not-checked';

export function formatGitlab(results: readonly FileResult[], paths: ReportPaths, write: (text: string) => void): void {
  writeJsonArray(issueMakers(results, paths), write);
  write('\n');
}

/** One maker per issue, in order (each fingerprint counts the turns before it): the issues are made as they are written. */
function* issueMakers(results: readonly FileResult[], paths: ReportPaths): Generator<() => CodeQualityIssue> {
  // The same problem twice under one path (in a file, or a file given twice as `-` and by its name) is
  // told apart by its turn.
  const turns = new Map<string, number>();
  for (const r of results) {
    const file = pathFromRoot(r, paths) ?? path.resolve(paths.cwd, r.file).split(path.sep).join('/');
    // The fingerprint leaves out where the problem is (a line added above it would otherwise make it a
    // new issue and the old one fixed), also where its message says so ("opened at line 3"), and how old
    // the inventory was (the next day's job would do the same).
    const fingerprint = (code: string, message: string): string => {
      const key = `${file}\0${code}\0${withoutAge(message).replace(LINE_NUMBER, 'line')}`;
      const turn = (turns.get(key) ?? 0) + 1;
      turns.set(key, turn);
      const text = `${key}\0${turn}`;
      return FINGERPRINT_SEEDS.map((seed) => fnv1a(text, seed)).join('');
    };
    if (r.notChecked !== undefined && r.problems.length === 0) {
      const reason = r.notChecked;
      yield () => ({
        description: `not checked: ${reason}`,
        check_name: NOT_CHECKED,
        fingerprint: fingerprint(NOT_CHECKED, reason),
        severity: 'major',
        location: { path: file, lines: { begin: 1, end: 1 } },
      });
    }
    for (const p of r.problems)
      yield () => ({
        description: p.message,
        check_name: p.code,
        fingerprint: fingerprint(p.code, p.message),
        severity: SEVERITY[p.severity],
        location: { path: file, lines: { begin: r.lines.positionAt(p.span.start).line + 1, end: r.lines.positionAt(p.span.end).line + 1 } },
      });
  }
}
