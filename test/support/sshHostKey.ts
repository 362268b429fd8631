// A host key for an ssh2 Server in a test. ssh2's generateKeyPairSync('ed25519') writes a key its own
// parser refuses ("Malformed OpenSSH private key") about once in 250 calls: it drops the leading zero
// bytes of the public key (mscdex/ssh2 issues 1390 and 1513), so a test that made one key per run
// failed at that rate. The key is remade until ssh2 reads it back.
import { utils } from 'ssh2';

export function sshHostKey(): string {
  for (;;) {
    const key = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(key.private) instanceof Error) && !(utils.parseKey(key.public) instanceof Error)) return key.private;
  }
}
