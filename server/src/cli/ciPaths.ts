// Where the paths of the CI formats start. A job may run `check` below its repository's root
// (GitHub's `working-directory:`, a `cd` in a GitLab script), while each CI reads a relative path
// from the root: the GitHub runner joins a relative `file=` to GITHUB_WORKSPACE (an absolute one it
// makes relative to the repository that holds it), code scanning joins a SARIF URI to the checkout,
// GitLab joins a Code Quality path to the project's directory. Paths from the working directory
// would point at files that do not exist there.
import * as path from 'node:path';
import { UNNAMED_STDIN } from './inputs';
import type { FileResult } from './report';

export interface ReportPaths {
  /** the directory the inputs were named from */
  cwd: string;
  /** the directory the report's relative paths start from */
  root: string;
}

type Environment = Readonly<Record<string, string | undefined>>;

/** SARIF: the GitHub checkout, else GitLab's project directory, else the working directory */
export function sarifPaths(env: Environment, cwd: string): ReportPaths {
  return { cwd, root: path.resolve(cwd, env.GITHUB_WORKSPACE || env.CI_PROJECT_DIR || cwd) };
}

/** GitLab's Code Quality report: the project's directory, else the working directory */
export function gitlabPaths(env: Environment, cwd: string): ReportPaths {
  return { cwd, root: path.resolve(cwd, env.CI_PROJECT_DIR || cwd) };
}

/** A guest's definition (check --guests, named `HOST/NAME.xml`) and unnamed standard input are no file. */
function isFile(r: FileResult): boolean {
  return r.guest === undefined && r.file !== UNNAMED_STDIN;
}

/** The input's path from `root` with forward slashes (a name that is no file, as it is); null for one outside it. */
export function pathFromRoot(r: FileResult, paths: ReportPaths): string | null {
  if (!isFile(r)) return r.file;
  const relative = path.relative(paths.root, path.resolve(paths.cwd, r.file));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return relative.split(path.sep).join('/');
}

/** GitHub: the absolute path, which the runner makes relative to the repository that holds it */
export function githubFile(r: FileResult, cwd: string): string {
  return isFile(r) ? path.resolve(cwd, r.file) : r.file;
}
