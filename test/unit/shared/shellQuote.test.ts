// shellQuote must make every value reach a real POSIX shell as exactly one literal word.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { shellJoin, shellQuote } from '../../../shared/shellQuote';

const HOSTILE = [
  "it's",
  'say "hi"',
  'two  spaces',
  '$(touch /tmp/lhd-pwned)',
  '`id`',
  'a; rm -rf /nonexistent',
  'line1\nline2\n',
  '$HOME ${PATH} $1 $@',
  '\\ backslash \\\\',
  "'",
  "''",
  '-n',
  '*',
  'guest name with \t tab & | < > ( ) { } [ ] ! # ~ ?',
  'ünïcødé — 名前',
  '',
];

test('shellQuote round-trips hostile values through a real sh -c printf', () => {
  for (const value of HOSTILE) {
    const out = execFileSync('/bin/sh', ['-c', 'printf %s ' + shellQuote(value)], { encoding: 'utf8' });
    assert.equal(out, value, JSON.stringify(value));
  }
});

test('shellJoin keeps each argument one word, in order', () => {
  const script = `for a in ${shellJoin(HOSTILE)}; do printf '<%s>' "$a"; done`;
  const out = execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
  assert.equal(out, HOSTILE.map((v) => `<${v}>`).join(''));
});

test('plain words stay unquoted, so command lines stay readable', () => {
  assert.equal(shellQuote('qemu:///session'), 'qemu:///session');
  assert.equal(shellQuote('/tmp/x.xml'), '/tmp/x.xml');
  assert.equal(shellQuote('web01'), 'web01');
});

test("a word ending in '.' is quoted: printed before a sentence's full stop, its own dot stays inside the quotes", () => {
  assert.equal(shellQuote('pool.'), "'pool.'");
  assert.equal(shellQuote('pool.x'), 'pool.x');
  const out = execFileSync('/bin/sh', ['-c', 'printf %s ' + shellQuote('pool.')], { encoding: 'utf8' });
  assert.equal(out, 'pool.');
});

test("a word starting with '=' is quoted: zsh, where a printed command is pasted, would expand =sh to a program's path", () => {
  assert.equal(shellQuote('=sh'), "'=sh'");
  assert.equal(shellQuote('a=b'), 'a=b');
  const zsh = spawnSync('/usr/bin/zsh', ['-c', `printf '%s\\n' ${shellQuote('=sh')}`], { encoding: 'utf8' });
  assert.equal(zsh.stdout, '=sh\n');
});
