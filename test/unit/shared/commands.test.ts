import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Commands } from '../../../shared/commands';
import { SETTINGS_SECTION, DEFAULT_SETTINGS } from '../../../shared/settings';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[]; configuration: { properties: Record<string, { default?: unknown }> } };
};

test('the command ids in shared/commands.ts are the commands package.json contributes', () => {
  assert.deepEqual(Object.values(Commands).sort(), manifest.contributes.commands.map((c) => c.command).sort());
});

test('the settings section and defaults in shared/settings.ts are the ones package.json declares', () => {
  const declared = Object.fromEntries(Object.entries(manifest.contributes.configuration.properties)
    .map(([key, p]) => [key.slice(SETTINGS_SECTION.length + 1), p.default]));
  assert.ok(Object.keys(manifest.contributes.configuration.properties).every((k) => k.startsWith(`${SETTINGS_SECTION}.`)));
  assert.deepEqual(declared, { ...DEFAULT_SETTINGS });
});
