// The package version, for --version and SARIF's driver.version.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The version in the package.json next to the bundle (dist/) or the compiled tree (out/). */
export function cliVersion(): string {
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'libvirt-hostdev' && pkg.version) return pkg.version;
    } catch {
      // not here; go up
    }
  }
  return 'unknown';
}
