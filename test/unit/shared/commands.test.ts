import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Commands } from '../../../shared/commands';
import { SETTINGS_SECTION, DEFAULT_SETTINGS, HOST_CONFIG_KEYS } from '../../../shared/settings';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[]; configuration: { properties: Record<string, { default?: unknown }> } };
};

test('the command ids in shared/commands.ts are the commands package.json contributes', () => {
  assert.deepEqual(Object.values(Commands).sort(), manifest.contributes.commands.map((c) => c.command).sort());
});

test('the settings section and defaults in shared/settings.ts are the ones package.json declares', () => {
  // trace.server is the LanguageClient's own setting (the LSP trace), not one the server reads
  const declared = Object.fromEntries(
    Object.entries(manifest.contributes.configuration.properties)
      .map(([key, p]) => [key.slice(SETTINGS_SECTION.length + 1), p.default])
      .filter(([key]) => key !== 'trace.server'),
  );
  assert.ok(Object.keys(manifest.contributes.configuration.properties).every((k) => k.startsWith(`${SETTINGS_SECTION}.`)));
  assert.deepEqual(declared, { ...DEFAULT_SETTINGS });
});

test("a host entry's schema has exactly the keys the server reads, and no other: VS Code marks a typo (identity_file) in settings.json", () => {
  const items = (
    manifest.contributes.configuration.properties[`${SETTINGS_SECTION}.hosts`] as {
      items: { properties: object; additionalProperties?: boolean };
    }
  ).items;
  assert.deepEqual(Object.keys(items.properties), [...HOST_CONFIG_KEYS]);
  assert.equal(items.additionalProperties, false);
});

test('the Extensions page: a PNG icon, a walk-through whose media ship in the .vsix, every setting and host field described, trace.server, engines.vscode as the language client needs', () => {
  const root = path.resolve(__dirname, '../../../..');
  const pkg = manifest as unknown as {
    icon: string;
    engines: { vscode: string };
    contributes: {
      walkthroughs: { steps: { media: { image?: string } }[] }[];
      configuration: {
        properties: Record<
          string,
          {
            description?: string;
            markdownDescription?: string;
            items?: { properties?: Record<string, { description?: string; markdownDescription?: string }> };
          }
        >;
      };
    };
  };
  assert.match(pkg.icon, /\.png$/);
  assert.deepEqual([...fs.readFileSync(path.join(root, pkg.icon)).subarray(1, 4)], [...Buffer.from('PNG')]);
  const ignore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8');
  assert.ok(ignore.includes('!docs/images/*.png'), 'the README pictures ship in the .vsix');
  const steps = pkg.contributes.walkthroughs[0].steps;
  assert.equal(steps.length, 6);
  for (const s of steps) assert.ok(s.media.image && fs.existsSync(path.join(root, s.media.image)), s.media.image);
  for (const [key, p] of Object.entries(pkg.contributes.configuration.properties)) {
    assert.ok(p.description || p.markdownDescription, `${key} has a description`);
    for (const [field, f] of Object.entries(p.items?.properties ?? {}))
      assert.ok(f.description || f.markdownDescription, `${key}.${field} has a description`);
  }
  assert.ok(pkg.contributes.configuration.properties['libvirtHostdev.trace.server']);
  const client = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/vscode-languageclient/package.json'), 'utf8')) as {
    engines: { vscode: string };
  };
  assert.equal(pkg.engines.vscode, client.engines.vscode);
});

test("the README's Commands and Settings tables name every command and setting package.json contributes", () => {
  const readme = fs.readFileSync(path.resolve(__dirname, '../../../../README.md'), 'utf8');
  const section = (heading: string): string => {
    const start = readme.indexOf(`\n### ${heading}`);
    assert.ok(start >= 0, `README has a ${heading} section`);
    const end = readme.indexOf('\n### ', start + 1);
    return readme.slice(start, end < 0 ? undefined : end);
  };
  const commands = section('Commands');
  const titles = (manifest.contributes.commands as { command: string; title?: string }[]).map((c) => c.title ?? c.command);
  assert.deepEqual(
    titles.filter((t) => !commands.includes(t)),
    [],
  );
  const settings = section('Settings');
  assert.deepEqual(
    Object.keys(manifest.contributes.configuration.properties).filter((k) => !settings.includes(`\`${k}\``)),
    [],
  );
});

test('attach, detach, define and insert are offered in the palette and the editor menu on libvirt documents only (a pom.xml has none)', () => {
  const menus = (manifest as unknown as { contributes: { menus: Record<string, { command: string; when?: string }[]> } }).contributes.menus;
  const offered = (command: string): string[] =>
    ['commandPalette', 'editor/context'].flatMap((menu) =>
      (menus[menu] ?? []).filter((m) => m.command === command).map((m) => m.when ?? ''),
    );
  for (const command of [Commands.attachDevice, Commands.detachDevice, Commands.defineGuest]) {
    assert.ok(offered(command).length > 0, command);
    for (const when of offered(command)) assert.match(when, /(^|&& )libvirtHostdev\.documentKind == libvirt( &&|$)/, `${command}: ${when}`);
  }
  // an empty XML file too: the interface is where its text begins
  for (const when of offered(Commands.insertInterface)) assert.match(when, /libvirtHostdev\.documentKind != other/, when);
});
