// A document's project policy: the nearest .libvirt-hostdev.json above it, checked against the codes
// the language service reports, applied to the service's problems. Apart from projectConfig.ts, which
// the CLI's entry reads for its help text without loading the service.
import { isDiagnosticCode, nearestCode, type Problem } from '../service/index';
import { applyPolicy, ConfigFinder, type KnownCodes, type ProjectConfig } from './projectConfig';

/** the codes a config may name */
export const SERVICE_CODES: KnownCodes = { isKnown: isDiagnosticCode, nearest: nearestCode };

const NONE: ReadonlySet<string> = new Set();

/**
 * The policy of the file `file`, read now (a bad config throws its ConfigError here, before anything
 * else is done): problems → as `check` reports them, severities overridden and disabled codes left out.
 */
export function projectPolicyOf(file: string, finder = new ConfigFinder(SERVICE_CODES)): (problems: Problem[]) => Problem[] {
  return policyOf(finder.forFile(file));
}

/** The policy of `config` (null: none, the problems as the service reports them). */
export function policyOf(config: ProjectConfig | null): (problems: Problem[]) => Problem[] {
  return (problems) => (config === null ? problems : applyPolicy(problems, { disabled: NONE, config }).problems);
}
