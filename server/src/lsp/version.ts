// serverInfo.version: the package version, read from the package.json beside the bundle (dist/)
// or above the compiled tree (out/).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

let cached: string | undefined;

export function serverVersion(): string {
  if (cached !== undefined) return cached;
  cached = 'unknown';
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'libvirt-hostdev' && pkg.version) return (cached = pkg.version);
    } catch {
      // not here; go up
    }
  }
  return cached;
}
