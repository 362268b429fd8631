// The notices of the libraries a build bundles: their licences (MIT, ISC, BSD) ask that their copyright
// and licence text go with every copy, and a bundle is one. Read from esbuild's metafiles: every package
// under node_modules an output holds, with its name, version, licence and the licence file it ships.
import * as fs from 'node:fs';
import * as path from 'node:path';

const LICENCE_FILE = /^(?:licen[cs]e|copying|notice)(?:[.-].*)?$/i;

/** `node_modules/a/node_modules/@s/b/lib/x.js` -> `node_modules/a/node_modules/@s/b` */
function packageDirOf(input) {
  const parts = input.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return null;
  const length = parts[at + 1]?.startsWith('@') ? 3 : 2;
  return parts.slice(0, at + length).join('/');
}

/** `license` as npm has it, or the older `licenses` list */
function licenceOf(manifest) {
  if (typeof manifest.license === 'string') return manifest.license;
  if (manifest.license?.type) return manifest.license.type;
  if (Array.isArray(manifest.licenses)) return manifest.licenses.map((l) => l.type ?? l).join(' OR ');
  return 'not stated';
}

function authorOf(manifest) {
  const a = manifest.author;
  return typeof a === 'string' ? a : a?.name;
}

/** The notices text for the packages the metafiles' outputs hold, sorted by name. */
export function thirdPartyNotices(metafiles, root) {
  const dirs = new Set();
  for (const meta of metafiles)
    for (const output of Object.values(meta.outputs))
      for (const input of Object.keys(output.inputs ?? {})) {
        const dir = packageDirOf(input);
        if (dir) dirs.add(dir);
      }
  const packages = new Map();
  for (const dir of dirs) {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8'));
    const key = `${manifest.name}@${manifest.version}`;
    if (packages.has(key)) continue;
    const files = fs
      .readdirSync(path.join(root, dir))
      .filter((f) => LICENCE_FILE.test(f))
      .sort();
    const texts = files.map((f) => fs.readFileSync(path.join(root, dir, f), 'utf8').trim());
    packages.set(key, { key, licence: licenceOf(manifest), author: authorOf(manifest), texts });
  }
  const sections = [...packages.values()]
    .sort((a, b) => (a.key < b.key ? -1 : 1))
    .map((p) =>
      [
        `${p.key} (${p.licence})`,
        '-'.repeat(72),
        ...(p.texts.length > 0
          ? p.texts
          : [`No licence file in the package; its licence: ${p.licence}${p.author ? `, by ${p.author}` : ''} (package.json).`]),
      ].join('\n'),
    );
  return (
    'libvirt-hostdev bundles the following libraries. Their copyright notices and licences follow.\n\n' + sections.join('\n\n\n') + '\n'
  );
}
