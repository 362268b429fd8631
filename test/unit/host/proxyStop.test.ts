// A ProxyCommand is sent SIGHUP when its connection ends, as ssh sends it; one that ignores it must not
// outlive the connection (nor a CLI run that ends right after its output). Real processes: sh and sleep.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProxyProcess } from '../../../server/src/host/proxyCommand';
import { alive } from '../../support/processAlive';

/** a proxy that ignores SIGHUP and EOF (sleep keeps the ignored disposition across exec), writing its pid to `pidFile` */
function stubbornProxy(pidFile: string): string {
  return `sh -c 'echo $$ > ${pidFile}; trap "" HUP; exec sleep 600'`;
}

async function pidFrom(file: string): Promise<number> {
  for (;;) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (text.endsWith('\n')) return Number(text);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test(
  'a ProxyCommand that ignores SIGHUP is killed once the grace after the end of its connection is over',
  { timeout: 15_000 },
  async () => {
    const pidFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-proxy-')), 'pid');
    const proxy = new ProxyProcess(stubbornProxy(pidFile), 'stubborn');
    const pid = await pidFrom(pidFile);
    proxy.kill();
    await proxy.closed;
    assert.equal(alive(pid), false);
    assert.equal(proxy.running, false);
  },
);

test(
  'a ProxyCommand that ignores SIGHUP is killed when our process exits before the grace is over (a CLI run)',
  { timeout: 30_000 },
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-proxy-'));
    const pidFile = path.join(dir, 'pid');
    const script = [
      `const { ProxyProcess } = require(${JSON.stringify(require.resolve('../../../server/src/host/proxyCommand'))});`,
      `const fs = require('node:fs');`,
      `const proxy = new ProxyProcess(${JSON.stringify(stubbornProxy(pidFile))}, 'stubborn');`,
      `const wait = () => (fs.existsSync(${JSON.stringify(pidFile)}) && fs.readFileSync(${JSON.stringify(pidFile)}, 'utf8').endsWith('\\n') ? (proxy.kill(), process.exit(0)) : setImmediate(wait));`,
      'wait();',
    ].join('\n');
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(run.status, 0, run.stderr);
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    // SIGKILL is sent before the process is gone; the kernel ends the proxy right after
    for (let i = 0; i < 1000 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(alive(pid), false, 'the proxy outlived the process that started it');
  },
);
