// What the editor tests share: the README's recipe for an editor, as a user copies it, and one run of
// the editor in a home of its own, driven by a script that writes what it saw to a JSON report.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

/** The first code block in `language` after the README paragraph that starts with `heading`. */
export function readmeRecipe(heading: RegExp, language: string): string {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const start = readme.search(new RegExp(`^${heading.source}`, 'm'));
  assert.ok(start >= 0, `the README's recipe under ${heading}`);
  const block = new RegExp(`^\`\`\`${language}\\n([^]*?)^\`\`\`$`, 'm').exec(readme.slice(start));
  assert.ok(block, `a ${language} block under ${heading} in the README`);
  return block[1];
}

export interface EditorRun {
  /** the editor's program and its arguments */
  program: string;
  args: string[];
  /** where the user starts the editor; the driver's config and report are written here too */
  cwd: string;
  /** the editor's home (HOME and the XDG folders under it) */
  home: string;
  /** what the driver reads from the JSON file named by LHD_EDITOR_CONFIG; `out` is added: where it writes its report */
  config: Record<string, unknown>;
  /** more of the environment (PATH, SSH_AUTH_SOCK) */
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
}

/** Runs the editor to its end and returns the report its driver wrote. */
export function runEditor<Report>(run: EditorRun): Report {
  const report = path.join(run.cwd, 'report.json');
  const config = path.join(run.cwd, 'config.json');
  fs.writeFileSync(config, JSON.stringify({ ...run.config, out: report }));
  const r = spawnSync(run.program, run.args, {
    cwd: run.cwd,
    env: {
      ...process.env,
      HOME: run.home,
      XDG_CONFIG_HOME: path.join(run.home, '.config'),
      XDG_STATE_HOME: path.join(run.home, '.state'),
      XDG_CACHE_HOME: path.join(run.home, '.cache'),
      LHD_EDITOR_CONFIG: config,
      ...run.env,
    },
    encoding: 'utf8',
    timeout: run.timeoutMs,
  });
  assert.equal(r.error, undefined, String(r.error));
  assert.ok(fs.existsSync(report), `${run.program} wrote no report (status ${r.status}): ${r.stderr}${r.stdout}`);
  return JSON.parse(fs.readFileSync(report, 'utf8')) as Report;
}
