// The unknown-host-key prompt (client/src/hostKeyText.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostKeyPromptText } from '../../../client/src/hostKeyText';

const key = { host: 'kvm1', port: 2222, keyType: 'ssh-ed25519', fingerprint: 'SHA256:abc' };

test('an unknown host: host:port in the message, type and fingerprint in the detail', () => {
  const { message, detail } = hostKeyPromptText(key);
  assert.equal(message, "The authenticity of host 'kvm1:2222' can't be established.");
  assert.match(detail, /^ssh-ed25519 key fingerprint is SHA256:abc\./);
  assert.doesNotMatch(message + detail, /different type/);
});

test('an IPv6 address is bracketed before its port, so the port is not read as part of it', () => {
  assert.equal(hostKeyPromptText({ ...key, host: '::1' }).message, "The authenticity of host '[::1]:2222' can't be established.");
  assert.equal(hostKeyPromptText({ ...key, host: '::1', port: 22 }).message, "The authenticity of host '::1' can't be established.");
});

test('a host known with other key types says so in the message, naming them (as ssh(1) does)', () => {
  const { message } = hostKeyPromptText({ ...key, port: 22, otherKnownTypes: ['ssh-rsa', 'ecdsa-sha2-nistp256'] });
  assert.equal(
    message,
    "The authenticity of host 'kvm1' can't be established, but keys of different type (ssh-rsa, ecdsa-sha2-nistp256) are already known for this host.",
  );
});

test('the modal is plain text: no Markdown backticks, the command to compare with is quoted', () => {
  const { message, detail } = hostKeyPromptText(key);
  assert.doesNotMatch(message + detail, /`/);
  assert.match(detail, /Compare it with what "ssh-keygen -lf" prints on the host before accepting\./);
});
