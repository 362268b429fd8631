// What the client's answer to libvirtHostdev/confirmHostKey decides, and that the log line says what
// actually happens to the key (lsp/hosts.ts hostKeyAnswer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostKeyAnswer } from '../../server/src/lsp/hosts';

const where = '127.0.0.1:2222';

test("'remember' says where the key goes, or that nothing is remembered without a knownHostsFile", () => {
  assert.deepEqual(hostKeyAnswer('remember', where, '/home/me/.config/libvirt-hostdev/known_hosts'), {
    decision: 'remember',
    level: 'info',
    message: 'host key of 127.0.0.1:2222 accepted by the user, to be remembered in /home/me/.config/libvirt-hostdev/known_hosts',
  });
  const unfiled = hostKeyAnswer('remember', where, undefined);
  assert.equal(unfiled.level, 'warn');
  assert.equal(
    unfiled.message,
    'host key of 127.0.0.1:2222 accepted by the user for this session only: nothing is remembered without initializationOptions.knownHostsFile',
  );
  assert.doesNotMatch(unfiled.message, /and remembered/);
});

test("'once' is this session; 'cancel', no answer and an answer that is none of the three refuse the key and say so", () => {
  assert.equal(hostKeyAnswer('once', where, undefined).message, 'host key of 127.0.0.1:2222 accepted by the user for this session');
  assert.equal(hostKeyAnswer('cancel', where, undefined).message, 'host key of 127.0.0.1:2222 refused by the user: not connecting');
  assert.equal(
    hostKeyAnswer(null, where, undefined).message,
    'host key of 127.0.0.1:2222 refused: the editor did not answer libvirtHostdev/confirmHostKey; not connecting',
  );
  for (const [answer, shown] of [
    [{ x: 1 }, '{"x":1}'],
    ['REMEMBER', '"REMEMBER"'],
  ] as const) {
    const r = hostKeyAnswer(answer, where, '/k');
    assert.equal(r.decision, 'cancel');
    assert.equal(
      r.message,
      `host key of 127.0.0.1:2222 refused: the answer ${shown} is not "once", "remember" or "cancel"; not connecting`,
    );
  }
});
