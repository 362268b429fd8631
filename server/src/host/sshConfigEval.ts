// Which lines of an ssh config apply to one host, decided as OpenSSH's readconf.c decides it:
// `Host` patterns against the name as typed (case-sensitive, `!` excludes), `Match` criteria (each
// may be negated) with `host` tested against the HostName read so far (%h expanded), an `Include`
// inside a block read only while that block applies and the block restored after it, the first
// value of a keyword winning across all files, and a second pass when a `Match final` asks for one.
// `Match exec` is never run: its block does not apply and is reported, as are criteria of newer
// OpenSSH versions this reading does not know how to test. A keyword ssh does not know stops the
// reading wherever it is, unless the IgnoreUnknown in force for this host lists it (the first one
// read in a block that applied, as every other value).
import type { ConfigFile, ConfigLine, SshConfig } from './sshConfigFiles';
import { badOption, keywordKind, OTHER_BUILDS, refusesKeyword } from './sshConfigKeywords';
import { sshPatternListMatches, sshPatternMatches } from './sshPattern';
import { HostError } from './transport';

export interface ConfigValue {
  args: string[];
  /** the value as written (commands are taken whole) */
  rest: string;
  file: string;
  line: number;
  /** read from the system-wide file or a file it includes */
  system: boolean;
}

export interface SkippedMatch {
  /** the Match line as written */
  text: string;
  file: string;
  line: number;
}

/**
 * A keyword ssh(1) reads but warns about ("Unsupported option"), wherever it is; or (`later`) one of a
 * later OpenSSH than 9.2, which the built-in client passes over and which 9.2 stops at.
 */
export interface UnsupportedOption {
  keyword: string;
  file: string;
  line: number;
  later?: boolean;
}

export interface EvaluatedConfig {
  /** lower-case keyword → the values of the lines that apply, in reading order (ProxyJump/ProxyCommand: see below) */
  values: Map<string, ConfigValue[]>;
  /** the ProxyJump ssh(1) uses (may be `none`); never set together with proxyCommand unless this one is `none` */
  proxyJump?: ConfigValue;
  /** the ProxyCommand ssh(1) uses (may be `none`) */
  proxyCommand?: ConfigValue;
  /** Match lines whose other criteria held but which name one that is not evaluated here */
  skippedMatches: SkippedMatch[];
  unsupportedOptions: UnsupportedOption[];
}

export interface EvaluateOptions {
  /** the user the target spells out (`user@host`): what `Match user` sees before any User line */
  targetUser?: string;
  localUser: string;
}

/** Match criteria that are not evaluated: `exec` would run a command, the others need ssh's own state or a newer ssh. */
const UNEVALUATED_CRITERIA = new Set(['exec', 'localnetwork', 'tagged', 'command', 'sessiontype', 'version']);

export function evaluateSshConfig(config: SshConfig | null, hostArg: string, options: EvaluateOptions): EvaluatedConfig {
  const result: EvaluatedConfig = { values: new Map(), skippedMatches: [], unsupportedOptions: [] };
  if (!config) return result;
  const state = { wantFinal: false };
  const pass = (host: string, finalPass: boolean): void => {
    for (const file of config.files) walk(file, { active: true }, false, { host, finalPass });
  };

  const first = (keyword: string): ConfigValue | undefined => result.values.get(keyword)?.[0];
  const matchHost = (): string => {
    const hostName = first('hostname');
    return hostName ? expandHostName(hostName.args[0], hostArg) : hostArg;
  };

  const record = (line: ConfigLine, system: boolean): void => {
    const value: ConfigValue = { args: line.args, rest: line.rest, file: line.file, line: line.line, system };
    if (line.keyword === 'proxyjump') {
      if (!result.proxyJump && !result.proxyCommand) result.proxyJump = value;
      return;
    }
    if (line.keyword === 'proxycommand') {
      // a ProxyJump read before wins, unless it was `none`, which blocks only a later ProxyJump
      const jumping = result.proxyJump && !/^none$/i.test(result.proxyJump.args[0] ?? '');
      if (!jumping && !result.proxyCommand) result.proxyCommand = value;
      return;
    }
    const list = result.values.get(line.keyword) ?? [];
    list.push(value);
    result.values.set(line.keyword, list);
  };

  const fail = (line: ConfigLine, why: string): never => {
    throw new HostError('config', `ssh config ${line.file} line ${line.line}: ${why}`);
  };

  const matches = (line: ConfigLine, finalPass: boolean): boolean => {
    const args = line.args;
    let result1 = true;
    let unevaluated = false;
    let attributes = 0;
    for (let i = 0; i < args.length; i++) {
      const negate = args[i].startsWith('!');
      const criterion = args[i].slice(negate ? 1 : 0).toLowerCase();
      if (criterion === 'all') {
        if (attributes > 1 || i + 1 < args.length) fail(line, `'${args[i]}' cannot be combined with other Match attributes`);
        if (negate) result1 = false;
        attributes++;
        break;
      }
      attributes++;
      if (criterion === 'canonical' || criterion === 'final') {
        if (criterion === 'final') state.wantFinal = true;
        if (finalPass === negate) result1 = false;
        continue;
      }
      const arg = args[++i];
      if (arg === undefined || arg === '') fail(line, `Missing Match criteria for ${criterion}`);
      let matched: boolean;
      if (criterion === 'host') matched = sshPatternListMatches(matchHost(), arg, true);
      else if (criterion === 'originalhost') matched = sshPatternListMatches(hostArg, arg, true);
      else if (criterion === 'user') {
        const user = options.targetUser ?? first('user')?.args[0] ?? options.localUser;
        matched = sshPatternListMatches(user, arg, false);
      } else if (criterion === 'localuser') matched = sshPatternListMatches(options.localUser, arg, false);
      else if (UNEVALUATED_CRITERIA.has(criterion)) {
        unevaluated = true;
        continue;
      } else return fail(line, `Unsupported Match attribute ${criterion}`);
      if (matched === negate) result1 = false;
    }
    if (attributes === 0) fail(line, 'One or more attributes required for Match');
    if (unevaluated && result1) {
      if (!result.skippedMatches.some((s) => s.file === line.file && s.line === line.line))
        result.skippedMatches.push({ text: `Match ${line.rest}`.slice(0, 200), file: line.file, line: line.line });
      return false;
    }
    return result1;
  };

  /** `never`: inside an Include read from a block that does not apply (ssh's SSHCONF_NEVERMATCH). */
  const walk = (file: ConfigFile, block: { active: boolean }, never: boolean, p: { host: string; finalPass: boolean }): void => {
    for (const line of file.lines) {
      if (refusesKeyword(line.keyword, first('ignoreunknown')?.args[0])) fail(line, badOption(line.keyword));
      if (keywordKind(line.keyword) === 'unsupported' && !p.finalPass)
        result.unsupportedOptions.push({ keyword: line.keyword, file: line.file, line: line.line });
      else if (OTHER_BUILDS.has(line.keyword) && !p.finalPass)
        result.unsupportedOptions.push({ keyword: line.keyword, file: line.file, line: line.line, later: true });
      switch (line.keyword) {
        case 'host':
          block.active = false;
          if (never) break;
          for (const arg of line.args) {
            if (arg === '') fail(line, 'keyword host empty argument');
            const negated = arg.startsWith('!');
            if (!sshPatternMatches(p.host, negated ? arg.slice(1) : arg)) continue;
            if (negated) {
              block.active = false;
              break;
            }
            block.active = true;
          }
          break;
        case 'match': {
          const applies = matches(line, p.finalPass);
          block.active = never ? false : applies;
          break;
        }
        case 'include': {
          const outer = block.active;
          for (const included of line.included ?? []) {
            walk(included, block, never || !outer, p);
            block.active = outer;
          }
          break;
        }
        default:
          if (block.active) record(line, file.system);
      }
    }
  };

  pass(hostArg, false);
  if (state.wantFinal) pass(matchHost().toLowerCase(), true);
  return result;
}

/** HostName with `%h` (the name as typed) and `%%` expanded: what ssh(1) connects to and `Match host` tests. */
export function expandHostName(hostName: string, hostArg: string): string {
  return hostName.replace(/%([%h])/g, (_m, token: string) => (token === 'h' ? hostArg : '%'));
}
