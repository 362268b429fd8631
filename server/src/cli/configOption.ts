// `--config FILE` and `--no-config`, as every command that applies the project's config takes them:
// one file for everything, none, or the nearest .libvirt-hostdev.json above each file (read once per
// directory for the run).
import { ConfigFinder, readProjectConfig, type ProjectConfig } from '../project/projectConfig';
import { SERVICE_CODES } from '../project/projectPolicy';
import { flagOption, stringOption, type OptionValues } from './options';
import { UsageError } from './util';

export interface ConfigLookup {
  forFile(file: string): ProjectConfig | null;
  forDirectory(dir: string): ProjectConfig | null;
}

/**
 * The lookup the options ask for (both at once: a UsageError now). Files are read when first looked up,
 * after the command's other usage checks: a bad one throws its ConfigError then, at every lookup.
 */
export function configLookupFrom(v: OptionValues): ConfigLookup {
  const explicit = stringOption(v, 'config');
  const none = flagOption(v, 'no-config');
  if (explicit !== undefined && none) throw new UsageError('--config and --no-config cannot be used together');
  if (none) return { forFile: () => null, forDirectory: () => null };
  if (explicit === undefined) return new ConfigFinder(SERVICE_CODES);
  let config: ProjectConfig | undefined;
  const read = (): ProjectConfig => (config ??= readProjectConfig(explicit, SERVICE_CODES));
  return { forFile: read, forDirectory: read };
}
