// The project's policy: a config file (.libvirt-hostdev.json, found upward from each document as
// ESLint and Prettier find theirs) with disabled codes and severity overrides, and `check`'s
// `--disable CODE[,CODE]`. `check` and the language server read it alike, so a CI gate and the
// editor agree on what is a problem. Inline comments are the service's (suppressions.ts). A problem
// taken off is kept as "suppressed" with the reason: `check` reports it, the editor does not show it.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Problem, Severity, SuppressedProblem } from '../service/index';
import { parseJsonFile } from '../service/jsonSyntax';
import { fileErrorReason, readBoundedFileSync } from '../../../shared/boundedFile';
import { didYouMeanNote, nearestWord } from '../../../shared/nearestWord';

export const CONFIG_FILE_NAME = '.libvirt-hostdev.json';
const MAX_CONFIG_BYTES = 1024 * 1024;
const SEVERITIES: readonly (Severity | 'off')[] = ['error', 'warning', 'information', 'hint', 'off'];

export interface ProjectConfig {
  file: string;
  disable: ReadonlySet<string>;
  severity: ReadonlyMap<string, Severity>;
}

export class ConfigError extends Error {}

/**
 * The diagnostic codes, given by the caller (this module stays out of the bundles that do not check):
 * `isKnown` rejects a misspelt code instead of ignoring it, `nearest` names the code it most likely meant.
 */
export interface KnownCodes {
  isKnown(code: string): boolean;
  nearest(code: string): string | null;
}

/** The keys a project config may have (`$schema` for an editor's completion of it). */
const CONFIG_KEYS = ['disable', 'severity', '$schema'];

/** ` (did you mean 'CODE'?)` after an unknown code, as a disable comment's warning offers it; '' when none is near. */
export function didYouMean(codes: KnownCodes, code: string): string {
  return didYouMeanNote(codes.nearest(code));
}

/**
 * Reads and checks one config file:
 *   { "disable": ["mac-missing"], "severity": { "pci-decimal": "off", "vf-driver": "error" } }
 */
export function readProjectConfig(file: string, codes: KnownCodes): ProjectConfig {
  let text: string;
  try {
    text = readBoundedFileSync(file, MAX_CONFIG_BYTES).toString('utf8');
  } catch (e) {
    throw new ConfigError(`cannot read ${file}: ${fileErrorReason(e)}`);
  }
  let data: unknown;
  try {
    data = parseJsonFile(text, file);
  } catch (e) {
    // FILE:LINE:COLUMN: bad JSON: reason, on one line even when the file's name has a line break
    throw new ConfigError((e instanceof Error ? e.message : String(e)).replace(/\s*\r?\n\s*/g, ' '));
  }
  const fail = (what: string): never => {
    throw new ConfigError(`${file}: ${what}`);
  };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail('expected a JSON object');
  const obj = data as Record<string, unknown>;
  for (const key of Object.keys(obj))
    if (!CONFIG_KEYS.includes(key))
      fail(`unknown key '${key}'${didYouMeanNote(nearestWord(key, CONFIG_KEYS))} (expected disable, severity)`);
  const checkCode = (code: unknown, where: string): string => {
    if (typeof code !== 'string' || !codes.isKnown(code))
      fail(`${where}: unknown diagnostic code ${quoted(code)}${typeof code === 'string' ? didYouMean(codes, code) : ''}`);
    return code as string;
  };
  const disable = new Set<string>();
  if (obj.disable !== undefined) {
    if (!Array.isArray(obj.disable)) fail('disable: expected an array of codes');
    (obj.disable as unknown[]).forEach((c, i) => disable.add(checkCode(c, `disable[${i}]`)));
  }
  const severity = new Map<string, Severity>();
  if (obj.severity !== undefined) {
    if (typeof obj.severity !== 'object' || obj.severity === null || Array.isArray(obj.severity))
      fail('severity: expected an object { "code": "error|warning|information|hint|off" }');
    for (const [code, level] of Object.entries(obj.severity as Record<string, unknown>)) {
      checkCode(code, 'severity');
      if (!SEVERITIES.includes(level as Severity)) fail(`severity.${code}: expected one of ${SEVERITIES.join(', ')}, got ${quoted(level)}`);
      if (level === 'off') disable.add(code);
      else severity.set(code, level as Severity);
    }
  }
  return { file, disable, severity };
}

const QUOTED_MAX = 80;

/**
 * A value of the file as an error quotes it: a scalar as JSON (a long string cut), an array or object
 * by its kind only. Written out it could be a megabyte on the one line, or nested too deeply for
 * JSON.stringify (200,000 `[`: "Maximum call stack size exceeded").
 */
function quoted(value: unknown): string {
  if (Array.isArray(value)) return '(an array)';
  if (typeof value === 'object' && value !== null) return '(an object)';
  const json = JSON.stringify(value);
  return json.length > QUOTED_MAX ? `${json.slice(0, QUOTED_MAX - 1)}…` : json;
}

/**
 * Finds the nearest .libvirt-hostdev.json above a directory, reading each directory and file once:
 * for as long as the finder is kept (a `check` run; the language server makes a new one when a config
 * file changes). A bad file throws its ConfigError for every directory under it, read once too.
 */
export class ConfigFinder {
  private readonly cache = new Map<string, ProjectConfig | null | ConfigError>();

  constructor(private readonly codes: KnownCodes) {}

  forFile(file: string): ProjectConfig | null {
    return this.forDirectory(path.dirname(path.resolve(file)));
  }

  forDirectory(dir: string): ProjectConfig | null {
    const found = this.lookUp(dir);
    if (found instanceof ConfigError) throw found;
    return found;
  }

  private lookUp(dir: string): ProjectConfig | null | ConfigError {
    const cached = this.cache.get(dir);
    if (cached !== undefined) return cached;
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    let found: ProjectConfig | null | ConfigError;
    if (existsSync(candidate)) {
      try {
        found = readProjectConfig(candidate, this.codes);
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        found = e;
      }
    } else {
      const parent = path.dirname(dir);
      found = parent === dir ? null : this.lookUp(parent);
    }
    this.cache.set(dir, found);
    return found;
  }
}

export interface Policy {
  /** --disable on the command line */
  disabled: ReadonlySet<string>;
  config: ProjectConfig | null;
}

/** Applies severity overrides, then takes disabled codes off (into `suppressed`, with the reason). */
export function applyPolicy(problems: readonly Problem[], policy: Policy): { problems: Problem[]; suppressed: SuppressedProblem[] } {
  const kept: Problem[] = [];
  const suppressed: SuppressedProblem[] = [];
  for (const original of problems) {
    const override = policy.config?.severity.get(original.code);
    const p = override ? { ...original, severity: override } : original;
    if (policy.disabled.has(p.code)) suppressed.push({ ...p, suppressedBy: '--disable' });
    else if (policy.config?.disable.has(p.code)) suppressed.push({ ...p, suppressedBy: policy.config.file });
    else kept.push(p);
  }
  return { problems: kept, suppressed };
}
