// Completion in Neovim 0.7 as a user types it: the README's recipe, the server on PATH under the name the
// recipe runs, the snapshot where the recipe names it, and keys sent to a headless Neovim over its RPC
// socket (`nvim --server … --remote-send`), so `<C-x><C-o>` runs Neovim's own omnifunc, which says it
// takes no snippets and filters by the word before the cursor. Each element typed as `<ma`, `<vl`, `<a` or `<in`
// must offer its item and insert plain XML on the line.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readmeRecipe, repoRoot } from './editorRun';
import { WAIT_BOUND_MS } from '../../support/waiters';

let work: string;
let nvim: ChildProcess | null = null;

before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-nvim-complete-'));
});

after(() => {
  nvim?.kill('SIGKILL');
  fs.rmSync(work, { recursive: true, force: true });
});

const DOMAIN = `<domain type='kvm'>
  <name>app03</name>
  <devices>
    <interface type='hostdev' managed='yes'>
      <ma
      <vl
      <source>
        <a
      </source>
    </interface>
    <in
  </devices>
</domain>
`;

/** What a Vim expression evaluates to in the running Neovim, as text. */
function evaluate(socket: string, expression: string): string {
  const r = spawnSync('nvim', ['--server', socket, '--remote-expr', expression], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.status, 0, r.stderr);
  // Neovim 0.7 prints the value on stderr
  return r.stdout + r.stderr;
}

function send(socket: string, keys: string): void {
  const r = spawnSync('nvim', ['--server', socket, '--remote-send', keys], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.status, 0, r.stderr);
}

const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** Polls `expression` until `done` holds for its value; fails with the last value after the bound. */
function waitFor(socket: string, expression: string, done: (value: string) => boolean, what: string): string {
  const deadline = Date.now() + WAIT_BOUND_MS;
  let value = '';
  while (Date.now() < deadline) {
    // the socket may not be there yet while Neovim starts
    if (fs.existsSync(socket)) {
      value = evaluate(socket, expression);
      if (done(value)) return value;
    }
    Atomics.wait(PAUSE, 0, 0, 50); // between two questions to Neovim, not instead of one
  }
  assert.fail(`${what}: still ${JSON.stringify(value)} after ${WAIT_BOUND_MS} ms`);
}

test("Neovim 0.7's omnifunc (README recipe, no snippet support): <ma, <vl, <a and <in each complete to plain XML on their line", () => {
  const home = fs.mkdtempSync(path.join(work, 'home-'));
  fs.copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'inventory', '82576.json'), path.join(home, 'kvm1-inventory.json'));
  const bin = path.join(work, 'bin');
  fs.mkdirSync(bin);
  const server = path.join(bin, 'libvirt-hostdev-language-server');
  fs.writeFileSync(server, `#!/bin/sh\nexec '${process.execPath}' '${path.join(repoRoot, 'dist', 'server.js')}' "$@"\n`, { mode: 0o755 });
  const recipe = path.join(work, 'init.lua');
  // the recipe as a user pastes it, and what the test asks Neovim: how many VF addresses the server offers in <source>
  const probe = `function _G.lhd_vf_items()
  if next(vim.lsp.buf_get_clients(0)) == nil then return 0 end
  local answers = vim.lsp.buf_request_sync(0, 'textDocument/completion',
    { textDocument = vim.lsp.util.make_text_document_params(), position = { line = 7, character = 10 } }, 2000)
  local count = 0
  for _, answer in pairs(answers or {}) do count = count + #((answer.result or {}).items or {}) end
  return count
end`;
  fs.writeFileSync(recipe, `vim.cmd('filetype on')\n${readmeRecipe(/Neovim 0\.7–0\.10 /, 'lua')}\n${probe}\n`);
  const file = path.join(work, 'app03.xml');
  fs.writeFileSync(file, DOMAIN);
  const socket = path.join(work, 'nvim.sock');
  nvim = spawn('nvim', ['--headless', '--listen', socket, '-u', recipe, '-i', 'NONE', '-n', file], {
    cwd: work,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), PATH: `${bin}:${process.env.PATH}` },
    stdio: 'ignore',
  });
  // the snapshot is in once the VF the fixture's web01 holds is offered
  waitFor(socket, 'luaeval("_G.lhd_vf_items()")', (v) => Number(v) > 0, "the snapshot's VF addresses offered");
  send(socket, ':set omnifunc=v:lua.vim.lsp.omnifunc completeopt=menuone,noinsert<CR>');
  const complete = (line: number): { offered: string; inserted: string } => {
    send(socket, `:${line}<CR>A<C-x><C-o>`);
    waitFor(socket, 'pumvisible()', (v) => v === '1', `the completion menu on line ${line}`);
    const offered = evaluate(socket, 'string(map(complete_info(["items"]).items, {_, v -> v.abbr}))');
    send(socket, '<C-y><Esc>');
    const inserted = waitFor(socket, `getline(${line})`, (v) => !/<\w*$/.test(v.trim()) || v.includes('/>'), `line ${line} completed`);
    return { offered, inserted };
  };
  const mac = complete(5);
  assert.match(mac.offered, /'<mac'/);
  assert.match(mac.inserted, /^ {6}<mac address='52:54:00(:[0-9a-f]{2}){3}'\/>$/);
  const vlan = complete(6);
  assert.match(vlan.offered, /'<vlan'/);
  assert.equal(vlan.inserted, "      <vlan><tag id='42'/></vlan>");
  const address = complete(8);
  assert.match(address.offered, /'<address 0000:0b:1[0-3]\.[0-7]'/);
  assert.match(address.inserted, /^ {8}<address type='pci' domain='0x0000' bus='0x0b' slot='0x1[0-3]' function='0x[0-7]'\/>$/);
  const iface = complete(11);
  assert.match(iface.offered, /'<interface hostdev enp11s0f0'/);
  assert.match(
    iface.inserted,
    /^ {4}<interface type='hostdev' managed='yes'><mac address='52:54:00(:[0-9a-f]{2}){3}'\/><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x1[0-3]' function='0x[0-7]'\/><\/source><\/interface>$/,
  );
  send(socket, ':qa!<CR>');
});
