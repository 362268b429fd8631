// Bundles loaded with V8's code cache (runtime/compileCache.ts): each case runs fresh node processes, as
// the CLI runs, against a small bundle in a temporary folder and a cache folder of its own.
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileCacheFolder } from '../../../server/src/runtime/compileCache';

const runtime = path.resolve(__dirname, '..', '..', '..', 'server', 'src', 'runtime');
let dir = '';
let bundle = '';
let cache = '';

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-compile-cache-'));
  bundle = path.join(dir, 'check.js');
  cache = path.join(dir, 'cache', 'v8');
  writeBundle('');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** a bundle with enough functions for V8 to keep, that counts its own loads on the global object */
function writeBundle(extra: string): void {
  const functions = Array.from({ length: 50 }, (_, i) => `function f${i}(x) { return x.map((y) => y * ${i} + 1).join(','); }`).join('\n');
  fs.writeFileSync(
    bundle,
    `#!/usr/bin/env node\n${functions}\nglobalThis.loads = (globalThis.loads ?? 0) + 1;\n` +
      `exports.answer = [${Array.from({ length: 50 }, (_, i) => `f${i}([1, 2])`).join(', ')}].length;\nexports.dir = __dirname;${extra}\n`,
  );
}

interface Run {
  used: boolean;
  answer: number;
  loads: number;
  dir: string;
  status: number | null;
}

/** One process: `before` (JavaScript, `settings` being v8Settings), the bundle loaded twice, then `after`. */
function run(before = '', after = '', folder: string = cache): Run {
  const script =
    `const settings = require(${JSON.stringify(path.join(runtime, 'v8Settings.js'))});` +
    `const cc = require(${JSON.stringify(path.join(runtime, 'compileCache.js'))});` +
    `${before}; const m = cc.requireBundle(${JSON.stringify(bundle)}, ${JSON.stringify(folder)}); cc.requireBundle(${JSON.stringify(bundle)}, ${JSON.stringify(folder)});` +
    `${after}; console.log(JSON.stringify({ used: cc.cacheUseOf(${JSON.stringify(bundle)}).used, answer: m.answer, loads: globalThis.loads, dir: m.dir }));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.stderr, '');
  return { ...(JSON.parse(r.stdout) as Omit<Run, 'status'>), status: r.status };
}

const cacheFiles = (): string[] => (fs.existsSync(cache) ? fs.readdirSync(cache).sort() : []);

test('the first process writes the cache at exit, the next one uses it and writes nothing; the bundle runs once per process', () => {
  const first = run();
  assert.deepEqual(first, { used: false, answer: 50, loads: 1, dir, status: 0 });
  const files = cacheFiles();
  assert.equal(files.length, 1);
  assert.match(files[0], new RegExp(`^check-${process.version.replace(/\./g, '\\.')}-${process.arch}-[0-9a-f]{16}\\.v8$`));
  const written = fs.statSync(path.join(cache, files[0])).mtimeMs;
  assert.deepEqual(run(), { used: true, answer: 50, loads: 1, dir, status: 0 });
  assert.equal(fs.statSync(path.join(cache, files[0])).mtimeMs, written);
  assert.equal(fs.statSync(cache).mode & 0o777, 0o700);
});

test('a cache made after the process changed its V8 flags is still taken: firstCheckDone() makes it before they change back', () => {
  const steps = ["settings.applyProcessSettings('command line')", 'settings.firstCheckDone()'] as const;
  assert.equal(run(steps[0], steps[1]).used, false);
  assert.equal(run(steps[0], steps[1]).used, true);
});

test('a damaged cache is refused by V8: the bundle runs as without one, and a good cache replaces it', () => {
  run();
  const [file] = cacheFiles();
  fs.writeFileSync(path.join(cache, file), Buffer.alloc(4096, 0x5a));
  assert.deepEqual(run(), { used: false, answer: 50, loads: 1, dir, status: 0 });
  assert.equal(run().used, true);
});

test("a cache another user could have written is not run (V8 checks only the source's length): a folder or file others may write, a file of another owner", () => {
  run();
  const [file] = cacheFiles();
  assert.equal(run().used, true);
  fs.chmodSync(cache, 0o777);
  assert.equal(run().used, false, 'a folder anyone may write');
  fs.chmodSync(cache, 0o700);
  fs.chmodSync(path.join(cache, file), 0o666);
  assert.equal(run().used, false, 'a file anyone may write');
  fs.chmodSync(path.join(cache, file), 0o600);
  assert.equal(run().used, true);
  if (process.getuid?.() === 0) {
    fs.chownSync(path.join(cache, file), 65534, 65534);
    assert.equal(run().used, false, "another user's file");
  }
});

test("a new version of the bundle replaces its old cache; another node's cache and other bundles' stay", () => {
  run();
  const [old] = cacheFiles();
  const otherNode = `check-v0.0.1-${process.arch}-0123456789abcdef.v8`;
  const otherBundle = `host-${process.version}-${process.arch}-0123456789abcdef.v8`;
  fs.writeFileSync(path.join(cache, otherNode), 'x');
  fs.writeFileSync(path.join(cache, otherBundle), 'x');
  writeBundle('\nexports.version = 2;');
  assert.equal(run().used, false);
  const now = cacheFiles();
  assert.ok(!now.includes(old), `${old} is gone`);
  assert.deepEqual(now.filter((f) => f !== otherNode && f !== otherBundle).length, 1);
  assert.ok(now.includes(otherNode) && now.includes(otherBundle));
});

test('a cache folder that cannot be made only means no cache: the command runs, exits 0, leaves nothing', () => {
  const blocked = path.join(dir, 'a-file');
  fs.writeFileSync(blocked, '');
  const r = run('', '', path.join(blocked, 'v8'));
  assert.deepEqual(r, { used: false, answer: 50, loads: 1, dir, status: 0 });
  assert.deepEqual(fs.readdirSync(dir).sort(), ['a-file', 'check.js']);
});

test("the cache folder: XDG_CACHE_HOME (absolute only, as the XDG spec says) or ~/.cache (HOME first, as os.homedir() reads it); none with node's NODE_DISABLE_COMPILE_CACHE", () => {
  assert.equal(compileCacheFolder({ XDG_CACHE_HOME: '/var/cache/me' }), '/var/cache/me/libvirt-hostdev/v8');
  assert.equal(compileCacheFolder({ XDG_CACHE_HOME: 'relative', HOME: '/home/me' }), '/home/me/.cache/libvirt-hostdev/v8');
  // without HOME in the environment given (or with an empty one), what os.homedir() finds
  assert.equal(compileCacheFolder({}), path.join(os.homedir(), '.cache', 'libvirt-hostdev', 'v8'));
  assert.equal(compileCacheFolder({ HOME: '' }), path.join(os.homedir(), '.cache', 'libvirt-hostdev', 'v8'));
  assert.equal(compileCacheFolder({ NODE_DISABLE_COMPILE_CACHE: '1', XDG_CACHE_HOME: '/x' }), null);
});
