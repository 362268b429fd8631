// What sshd hands the login shell (`$SHELL -c COMMAND`) is LOGIN_SHELL_COMMAND, which every shell runs
// alike; the command and its input reach sh on standard input. Run here through each login shell a
// host may give its users, with names that fish, tcsh and zsh would read otherwise than sh.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LOGIN_SHELL_COMMAND, loginShellInput } from '../../../server/src/host/loginShell';
import { shellJoin } from '../../../shared/shellQuote';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-login-shell-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

// test/setup/env.sh installs them (zsh, fish and tcsh with the test packages)
const SHELLS = ['/bin/sh', '/bin/bash', '/usr/bin/zsh', '/usr/bin/fish', '/usr/bin/tcsh'];

const pwned = path.join(tmp, 'pwned');
const NAMES = [`pool\\'; touch ${pwned} #`, `it's "q" \\ $(touch ${pwned}) \`touch ${pwned}\``, 'x!y', '=sh', 'LC_ALL=C', "line\nbreak'"];

for (const shell of SHELLS) {
  test(`${path.basename(shell)} as the login shell: a command and its input reach sh as written, nothing of a name runs`, () => {
    assert.ok(fs.existsSync(shell), `${shell} is installed`);
    const command = `LC_ALL=C printf '%s\\n' ${shellJoin(NAMES)}; cat; exit 3`;
    const input = `<interface type='hostdev'/>\nLIBVIRT_HOSTDEV_x\n'\\ $(touch ${pwned})`;
    const r = spawnSync(shell, ['-c', LOGIN_SHELL_COMMAND], { input: loginShellInput(command, input), encoding: 'utf8', cwd: tmp });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 3);
    assert.equal(r.stdout, `${NAMES.join('\n')}\n${input}\n`);
    assert.equal(fs.existsSync(pwned), false, 'a name ran as a command');
  });
}

test('without input the command reads none; LOGIN_SHELL_COMMAND itself reads its input as its script', () => {
  const none = spawnSync('/bin/sh', ['-c', LOGIN_SHELL_COMMAND], { input: loginShellInput('cat; echo done'), encoding: 'utf8' });
  assert.equal(none.stdout, 'done\n');
  const script = spawnSync('/bin/sh', ['-c', LOGIN_SHELL_COMMAND], {
    input: loginShellInput(LOGIN_SHELL_COMMAND, 'echo from the script\n'),
    encoding: 'utf8',
  });
  assert.equal(script.stdout, 'from the script\n');
});
