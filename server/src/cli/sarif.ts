// `check --format sarif`: SARIF 2.1.0 (OASIS), the format GitHub code scanning and other CI
// dashboards read. One run; the driver lists every rule with its help text; each result points at
// a 1-based region (columns in UTF-16 code units, as the service's offsets and LSP count them).
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Problem, Severity } from '../service/index';
import { pathFromRoot, type ReportPaths } from './ciPaths';
import { writeJsonArray, type FileResult } from './report';

/** What SARIF needs to know about one rule. */
export interface SarifRule {
  code: string;
  severity: Severity;
  summary: string;
  /** what it reports, in the README's words */
  description: string;
  /** the whole explanation `libvirt-hostdev rules CODE` prints (how to turn it off included) */
  help: string;
  /** the rule's section of the rules page */
  helpUri?: string;
}

export interface SarifTool {
  version: string;
  informationUri?: string;
  rules: readonly SarifRule[];
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/**
 * The SARIF log. File locations are relative to `paths.root` (ciPaths.ts) under the `%SRCROOT%` base
 * (code scanning resolves them against the repository checkout); files outside it keep an absolute file: URI.
 */
export function formatSarif(results: readonly FileResult[], tool: SarifTool, paths: ReportPaths, write: (text: string) => void): void {
  const rules = [...tool.rules];
  const index = new Map(rules.map((r, i) => [r.code, i]));
  // A code the catalog does not know (should not happen) still gets a rule so ruleIndex stays valid.
  for (const r of results) {
    for (const p of [...r.problems, ...r.suppressed]) {
      if (!index.has(p.code)) {
        index.set(p.code, rules.length);
        rules.push({ code: p.code, severity: p.severity, summary: p.code, description: p.code, help: p.code });
      }
    }
  }
  // made as they are written (writeJsonArray)
  const sarifResults = results.flatMap((r) => {
    // one location per file, shared by its results: resolving the path is most of the cost of a result
    const location = artifactLocation(r, paths);
    return [
      ...r.problems.map((p) => () => result(r, p, index, location)),
      ...r.suppressed.map((p) => () => ({
        ...result(r, p, index, location),
        suppressions: [
          {
            kind: p.inSource ? 'inSource' : 'external',
            justification: `suppressed by ${suppressor(p, paths)}${p.reason !== undefined ? `: ${p.reason}` : ''}`,
          },
        ],
      })),
    ];
  });
  // An input not read is the run's failure, not a result: SARIF's tool execution notification, by file;
  // one skipped (another vocabulary) is a notification too, a note that leaves the run successful.
  const notChecked = results.filter((r) => r.notChecked !== undefined);
  const notifications = results.flatMap((r) => {
    const [level, why] =
      r.notChecked !== undefined ? ['error', r.notChecked] : r.skipped !== undefined ? ['note', `skipped, ${r.skipped}`] : [];
    if (why === undefined) return [];
    return [
      {
        level,
        message: { text: sarifText(`${r.file}: ${why}`) },
        locations: [{ physicalLocation: { artifactLocation: artifactLocation(r, paths) } }],
      },
    ];
  });
  const invocation = {
    executionSuccessful: notChecked.length === 0,
    ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
  };
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'libvirt-hostdev',
            version: tool.version,
            ...(tool.informationUri ? { informationUri: tool.informationUri } : {}),
            rules: rules.map((r) => ({
              id: r.code,
              // SARIF's name is a readable identifier of its own (SARIF1001: never the id again): VfInUse for vf-in-use
              name: r.code.replace(/(?:^|-)([a-z0-9])/g, (_, c: string) => c.toUpperCase()),
              shortDescription: { text: r.summary },
              fullDescription: { text: r.description },
              help: { text: r.help },
              ...(r.helpUri ? { helpUri: r.helpUri } : {}),
              defaultConfiguration: { level: LEVEL[r.severity] },
            })),
          },
        },
        invocations: [invocation],
        originalUriBaseIds: {
          '%SRCROOT%': { uri: pathToFileURL(paths.root.endsWith(path.sep) ? paths.root : paths.root + path.sep).href },
        },
        columnKind: 'utf16CodeUnits',
        results: RESULTS_PLACE,
      },
    ],
  };
  // the results, which may be a million, are written one by one where the log holds their place
  const json = JSON.stringify(log, null, 2);
  const place = json.lastIndexOf(JSON.stringify(RESULTS_PLACE));
  const head = json.slice(0, place);
  const tail = json.slice(place + JSON.stringify(RESULTS_PLACE).length);
  write(head);
  writeJsonArray(sarifResults, write, /[ ]*$/.exec(head.slice(head.lastIndexOf('\n') + 1, head.lastIndexOf('"results"')))![0]);
  write(`${tail}\n`);
}

/** where the log's results go: the run's last value, so its last occurrence in the log is this one whatever a file's name holds */
const RESULTS_PLACE = '\u0001results\u0001';

/**
 * A message as SARIF's plain text: a viewer reads `[text](target)` in it as an embedded link (SARIF 2.1.0
 * §3.11.6), so brackets from a file or a host (a network named `[x](https://…)`) are escaped as it asks.
 */
export function sarifText(text: string): string {
  return text.replace(/\\(?=[[\]])/g, '\\\\').replace(/[[\]]/g, '\\$&');
}

function result(r: FileResult, p: Problem, index: Map<string, number>, location: ArtifactLocation) {
  const start = r.lines.positionAt(p.span.start);
  const end = r.lines.positionAt(p.span.end);
  return {
    ruleId: p.code,
    ruleIndex: index.get(p.code)!,
    level: LEVEL[p.severity],
    message: { text: sarifText(p.message) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: location,
          // SARIF regions are 1-based; endColumn is the column after the last character.
          region: { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 },
        },
      },
    ],
  };
}

/** What took a problem off: `--disable`, a comment's words, or a config file, named from the root as the results are. */
function suppressor(p: { inSource: boolean; suppressedBy: string }, paths: ReportPaths): string {
  if (p.inSource || !path.isAbsolute(p.suppressedBy)) return p.suppressedBy;
  const relative = path.relative(paths.root, p.suppressedBy);
  return relative.startsWith('..') || path.isAbsolute(relative) ? p.suppressedBy : relative.split(path.sep).join('/');
}

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

function artifactLocation(r: FileResult, paths: ReportPaths): ArtifactLocation {
  const relative = pathFromRoot(r, paths);
  if (relative !== null) return { uri: relative.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  return { uri: pathToFileURL(path.resolve(paths.cwd, r.file)).href };
}
