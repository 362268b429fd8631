// `libvirt-hostdev check` as a whole process, in CPU time (user+sys of the child), against
// `virt-xml-validate FILE domain` on the same file, with `node -e 0` as the floor of any node process;
// with V8's code cache (runtime/compileCache.ts: a cache folder of its own, made by one run before the
// measured ones) and without it (NODE_DISABLE_COMPILE_CACHE), as a user's first run after an install.
// Medians of fresh processes, the commands taken in turn so that a busy machine weighs on all alike.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freshPageMicros } from './machine';

const root = path.resolve(__dirname, '..', '..', '..');
const RUNS = 9;

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function cpuMs(command: string): number {
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%3U %3S'; { time ${command} >/dev/null 2>&1 ; } 2>&1`], { encoding: 'utf8' });
  const [user, sys] = r.stdout.trim().split(/\s+/).slice(-2).map(Number);
  return (user + sys) * 1000;
}

/** the page faults of a node process by the time it runs its first line (process.resourceUsage) */
function nodeStartFaults(): number {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.resourceUsage().minorPageFault))'], {
    encoding: 'utf8',
    env,
  });
  return Number(r.stdout);
}

function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** CPU ms of each command in each of RUNS rounds, in which every command runs once. */
function rounds(commands: Record<string, string>): Record<string, number[]> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < RUNS; i++) for (const [name, command] of Object.entries(commands)) samples[name].push(cpuMs(command));
  return samples;
}

/** The CLI's figures on `file` checked with `inventoryFile`, each with its ratio to virt-xml-validate. */
export function benchCliProcess(file: string, inventoryFile: string): string[] {
  const node = q(process.execPath);
  const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-bench-cache-'));
  try {
    return measure(file, inventoryFile, node, `XDG_CACHE_HOME=${q(cacheHome)} ${node} ${q(path.join(root, 'dist', 'cli.js'))}`);
  } finally {
    fs.rmSync(cacheHome, { recursive: true, force: true });
  }
}

function measure(file: string, inventoryFile: string, node: string, cli: string): string[] {
  const withoutCa = 'env -u NODE_EXTRA_CA_CERTS ';
  const caSet = process.env.NODE_EXTRA_CA_CERTS !== undefined;
  const hasBaseline = spawnSync('bash', ['-c', 'command -v virt-xml-validate']).status === 0;
  const check = `${cli} check --inventory ${q(inventoryFile)} ${q(file)}`;
  // the cache the measured runs take
  cpuMs(check);
  const commands: Record<string, string> = {
    check,
    checkWithoutCache: `${caSet ? withoutCa : ''}NODE_DISABLE_COMPILE_CACHE=1 ${check}`,
    version: `${withoutCa}${cli} --version`,
    floor: `${node} -e 0`,
    ...(caSet
      ? {
          checkWithoutCa: `${withoutCa}${cli} check --inventory ${q(inventoryFile)} ${q(file)}`,
          floorWithoutCa: `${withoutCa}${node} -e 0`,
        }
      : {}),
    ...(hasBaseline ? { baseline: `virt-xml-validate ${q(file)} domain` } : {}),
  };
  const samples = rounds(commands);
  const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  const ratio = (ms: number): string => (hasBaseline ? `   ratio ${(ms / m.baseline).toFixed(2)}` : '');
  // this machine's speed drifts within minutes, and the commands of one round share its pace: the median of
  // the rounds' own ratios moves less than the ratio of the medians
  const perRound = (name: string): string =>
    hasBaseline ? `; median of the rounds' own ratios ${median(samples[name].map((ms, i) => ms / samples.baseline[i])).toFixed(2)}` : '';
  const lines = [
    `libvirt-hostdev check of that file, whole process (CPU user+sys, median of ${RUNS} fresh processes):` +
      (hasBaseline
        ? ` virt-xml-validate FILE domain ${m.baseline.toFixed(0)} ms (the baseline)`
        : ' (virt-xml-validate not installed: no baseline)'),
    `  libvirt-hostdev check --inventory (node dist/cli.js): ${m.check.toFixed(0)} ms${ratio(m.check)}${perRound('check')} (goal ≤ 1)`,
    `  the same without V8's code cache (NODE_DISABLE_COMPILE_CACHE=1, as the first run after an install${caSet ? ', without NODE_EXTRA_CA_CERTS' : ''}): ${m.checkWithoutCache.toFixed(0)} ms${ratio(m.checkWithoutCache)}`,
  ];
  if (caSet)
    lines.splice(
      2,
      0,
      `  the same without NODE_EXTRA_CA_CERTS: ${m.checkWithoutCa.toFixed(0)} ms${ratio(m.checkWithoutCa)}${perRound('checkWithoutCa')} (this sandbox sets it, and node then parses that CA file at every start; users' shells do not)`,
    );
  lines.push(
    `  node -e 0, the floor of any node process: ${m.floor.toFixed(0)} ms${ratio(m.floor)}` +
      (caSet ? `; without NODE_EXTRA_CA_CERTS ${m.floorWithoutCa.toFixed(0)} ms${ratio(m.floorWithoutCa)}` : ''),
    `  libvirt-hostdev --version (the CLI's entry alone${caSet ? ', without NODE_EXTRA_CA_CERTS' : ''}): ${m.version.toFixed(0)} ms${ratio(m.version)}`,
    `  this machine: the first write to a fresh 4 KiB page (a page fault) costs ${freshPageMicros().toFixed(1)} µs (a fraction of one on bare metal); a node process makes ${nodeStartFaults().toLocaleString('en-US')} of them before it runs any code`,
  );
  return lines;
}
