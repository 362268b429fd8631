// Editing the large document as a user does, measured against baselines taken in the same run:
//  - a keystroke (parse the new version, validate) vs a bare XMLValidator.validate of the whole text;
//  - hover sent right after each of 150 keystrokes to the real server over stdio, and its memory;
//  - the first validation in a fresh process; `libvirt-hostdev check` vs `virt-xml-validate` in CPU (cliProcess.ts).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type * as Service from '../../server/src/service/index';
import type { Inventory } from '../../shared/snapshot';
import { benchCliProcess } from './cliProcess';

const root = path.resolve(__dirname, '..', '..', '..');

function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
}

function ms(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** `count` versions of `text`, each one keystroke on from the previous: a MAC digit of device k changes. */
function keystrokes(text: string, count: number): { text: string; at: number; typed: string }[] {
  const positions: number[] = [];
  for (let at = text.indexOf("<mac address='"); at >= 0 && positions.length < count; at = text.indexOf("<mac address='", at + 1))
    positions.push(at + "<mac address='".length + 16);
  const versions: { text: string; at: number; typed: string }[] = [];
  let current = text;
  for (let i = 0; i < count; i++) {
    const at = positions[i % positions.length];
    const digit = current[at] === 'a' ? 'b' : 'a';
    current = current.slice(0, at) + digit + current.slice(at + 1);
    versions.push({ text: current, at, typed: digit });
  }
  return versions;
}

export function benchKeystroke(service: typeof Service, text: string, inventory: Inventory): string {
  const ls = service.createLanguageService();
  const versions = keystrokes(text, 100);
  let document = ls.parseDocument(text);
  ls.validate(document, { inventory });
  const ours: number[] = [];
  const bare: number[] = [];
  for (const v of versions) {
    // as the server gets it: the new text and where the edit is (didChange's range)
    let t0 = process.hrtime.bigint();
    document = ls.updateDocument(document, v.text, { start: v.at, oldEnd: v.at + 1, newEnd: v.at + 1 });
    ls.validate(document, { inventory });
    ours.push(ms(t0));
    t0 = process.hrtime.bigint();
    XMLValidator.validate(v.text);
    bare.push(ms(t0));
  }
  const a = percentile(ours, 0.5);
  const b = percentile(bare, 0.5);
  return `keystroke (update the parse from the edit + validate): p50 ${a.toFixed(1)} ms, p99 ${percentile(ours, 0.99).toFixed(1)} ms   XMLValidator.validate of the text: p50 ${b.toFixed(1)} ms   ratio ${(a / b).toFixed(2)} (goal < 0.5)`;
}

function positionIn(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { line, character: offset - (text.lastIndexOf('\n', offset - 1) + 1) };
}

/** Resets the process's VmHWM to its current RSS (Linux ≥ 4.0, own child); false when not possible. */
function resetPeak(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

function rssKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
}

/** 150 keystrokes to dist/server.js over stdio, a hover on the edited device right after each. */
export async function benchEditingServer(text: string, inventory: Inventory): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-bench-'));
  const inventoryFile = path.join(dir, 'inventory.json');
  fs.writeFileSync(inventoryFile, JSON.stringify(inventory));
  const child = spawn(process.execPath, [path.join(root, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const uri = 'file:///bench/large-domain.xml';
  let published = 0;
  connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string }) => {
    if (p.uri === uri) published++;
  });
  connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({ inventoryFile })));
  connection.listen();
  try {
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: true } },
    });
    connection.sendNotification('initialized', {});
    const initializedKiB = rssKiB(child.pid!, 'VmRSS');
    connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'xml', version: 1, text } });
    while (published === 0) await new Promise((r) => setTimeout(r, 20));
    const openKiB = rssKiB(child.pid!, 'VmRSS');
    // the peak of the edits alone: Linux resets the process's high-water mark (VmHWM) on "5"
    const hwmReset = resetPeak(child.pid!);
    const versions = keystrokes(text, 150);
    const hovers: number[] = [];
    const completions: number[] = [];
    let peak = openKiB;
    let previous = text;
    for (let i = 0; i < versions.length; i++) {
      const v = versions[i].text;
      // as VS Code sends it (the server asks for incremental sync): the range typed over and the character
      const start = positionIn(previous, versions[i].at);
      const range = { start, end: { line: start.line, character: start.character + 1 } };
      previous = v;
      connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: i + 2 },
        contentChanges: [{ range, text: versions[i].typed }],
      });
      // the host address of the device just edited
      const at = v.indexOf("function='", v.indexOf("<address type='pci'", versions[i].at)) + 11;
      const line = v.slice(0, at).split('\n').length - 1;
      const character = at - (v.lastIndexOf('\n', at - 1) + 1);
      const position = { line, character };
      // every other keystroke a hover, the others a completion, each sent right after the change
      const t0 = process.hrtime.bigint();
      if (i % 2 === 0) {
        await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
        hovers.push(ms(t0));
      } else {
        await connection.sendRequest('textDocument/completion', { textDocument: { uri }, position });
        completions.push(ms(t0));
      }
      peak = Math.max(peak, rssKiB(child.pid!, 'VmRSS'));
    }
    const hwm = hwmReset ? rssKiB(child.pid!, 'VmHWM') : 0;
    // baseline: the same hover with no edit before it (the parse is current)
    const still: number[] = [];
    const last = versions[versions.length - 1];
    const at = last.text.indexOf("function='", last.text.indexOf("<address type='pci'", last.at)) + 11;
    const position = positionIn(last.text, at);
    for (let i = 0; i < 40; i++) {
      const t0 = process.hrtime.bigint();
      await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
      still.push(ms(t0));
    }
    const p50 = (xs: number[]): number => percentile(xs, 0.5);
    const mib = (kib: number): string => (kib / 1024).toFixed(0);
    return [
      `hover sent right after a keystroke (75 edits): p50 ${p50(hovers).toFixed(1)} ms, p99 ${percentile(hovers, 0.99).toFixed(1)} ms; ` +
        `completion (75 edits): p50 ${p50(completions).toFixed(1)} ms, p99 ${percentile(completions, 0.99).toFixed(1)} ms (goal p50 < 5 ms)   ` +
        `hover with no edit before it: p50 ${p50(still).toFixed(1)} ms   ratio ${(p50(hovers) / p50(still)).toFixed(2)}`,
      `server RSS: ${mib(initializedKiB)} MiB after initialize, ${mib(openKiB)} MiB with the document open (goal ≤ 80; ratio to initialize ${(openKiB / initializedKiB).toFixed(2)}), ` +
        `peak ${mib(Math.max(peak, hwm))} MiB during the 150 edits (goal ≤ 100; ${hwmReset ? 'VmHWM since the document was open' : 'sampled after each request'})`,
    ];
  } finally {
    connection.dispose();
    child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The first validation in a fresh process, and the CLI against virt-xml-validate, on the same file. */
export function benchFreshProcess(runtimeBundle: string, serviceBundle: string, text: string, inventory: Inventory): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-bench-'));
  try {
    const file = path.join(dir, 'large.xml');
    const inventoryFile = path.join(dir, 'inventory.json');
    fs.writeFileSync(file, text);
    fs.writeFileSync(inventoryFile, JSON.stringify(inventory));
    // as the server does it (main.ts): its start settings (runtime/v8Settings.ts), then its bundle loaded
    // with V8's code cache (runtime/compileCache.ts; the cache folder null: without one, as the first
    // start after an install), one language service that parses, then validates, then the first check is
    // done (which makes the cache when there was none); CPU is user+sys of the whole process (the
    // collector's threads included), without NODE_EXTRA_CA_CERTS as users run node
    const script = (cacheFolder: string | null): string =>
      `const t0=process.hrtime.bigint();const runtime=require(${JSON.stringify(runtimeBundle)});runtime.applyProcessSettings('language server');` +
      `const s=runtime.requireBundle(${JSON.stringify(serviceBundle)},${JSON.stringify(cacheFolder)});const fs=require('fs');` +
      `const text=fs.readFileSync(${JSON.stringify(file)},'utf8');const inv=JSON.parse(fs.readFileSync(${JSON.stringify(inventoryFile)},'utf8'));` +
      `const cpu=()=>{const u=process.cpuUsage();return (u.user+u.system)/1000};const ls=s.createLanguageService();` +
      `const t1=process.hrtime.bigint();const c1=cpu();const d=ls.parseDocument(text);const c2=cpu();ls.validate(d,{inventory:inv});const c3=cpu();const t2=process.hrtime.bigint();` +
      `runtime.firstCheckDone();` +
      `const {XMLValidator}=require('fast-xml-parser');const t3=process.hrtime.bigint();const c4=cpu();XMLValidator.validate(text);const c5=cpu();const t4=process.hrtime.bigint();` +
      `console.log(Number(t2-t1)/1e6, Number(t4-t3)/1e6, Number(t1-t0)/1e6, c3-c1, c2-c1, c5-c4)`;
    const env = { ...process.env };
    delete env.NODE_EXTRA_CA_CERTS;
    const cacheFolder = path.join(dir, 'v8-cache');
    const fresh = (folder: string | null): number[] =>
      spawnSync(process.execPath, ['-e', script(folder)], { encoding: 'utf8', cwd: root, env })
        .stdout.trim()
        .split(/\s+/)
        .map(Number);
    // the cache the measured processes take
    fresh(cacheFolder);
    const withCache: number[][] = [];
    const withoutCache: number[][] = [];
    // in turn, so that the machine's drift weighs on both alike
    for (let i = 0; i < 9; i++) {
      withCache.push(fresh(cacheFolder));
      withoutCache.push(fresh(null));
    }
    const median = (runs: number[][], k: number): number =>
      percentile(
        runs.map((r) => r[k]),
        0.5,
      );
    const [first, bare, load, firstCpu, parseCpu, bareCpu] = [0, 1, 2, 3, 4, 5].map((k) => median(withCache, k));
    const [firstCold, loadCold, firstCpuCold] = [0, 2, 3].map((k) => median(withoutCache, k));
    const lines = [
      `first validation in a fresh process, as the server starts (its V8 settings, its bundle with V8's code cache; medians of 9): ${first.toFixed(0)} ms (goal < 60; loading the service ${load.toFixed(0)} ms)   first XMLValidator.validate there: ${bare.toFixed(0)} ms   ratio ${(first / bare).toFixed(2)}`,
      `  in CPU: ${firstCpu.toFixed(0)} ms, of which parsing ${parseCpu.toFixed(0)} ms   first XMLValidator.validate there: ${bareCpu.toFixed(0)} ms   ratio ${(firstCpu / bareCpu).toFixed(2)}`,
      `  without the code cache (the first start after an install): ${firstCold.toFixed(0)} ms, CPU ${firstCpuCold.toFixed(0)} ms (loading the service ${loadCold.toFixed(0)} ms)`,
    ];
    lines.push(...benchCliProcess(file, inventoryFile));
    return lines;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
