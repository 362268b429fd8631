// known_hosts parsing and verification, checked against the real OpenSSH tools: keys come from
// ssh-keygen, hashed lines from `ssh-keygen -H`, fingerprints are compared with `ssh-keygen -l`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  appendKnownHost,
  fingerprintSha256,
  keyTypeOfBlob,
  knownHostName,
  parseKnownHosts,
  verifyHostKey,
} from '../../../server/src/host/knownHosts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-known-hosts-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

/** a fresh public key made by ssh-keygen: { line: "type base64", blob } */
function makeKey(name: string, type: 'ed25519' | 'ecdsa' | 'rsa' = 'ed25519'): { line: string; blob: Buffer; file: string } {
  const file = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-C', name, '-f', file]);
  const [keyType, base64] = fs
    .readFileSync(file + '.pub', 'utf8')
    .trim()
    .split(/\s+/);
  return { line: `${keyType} ${base64}`, blob: Buffer.from(base64, 'base64'), file: file + '.pub' };
}

const hostA = makeKey('host-a');
const hostB = makeKey('host-b');
const hostEcdsa = makeKey('host-ecdsa', 'ecdsa');

test('fingerprintSha256 equals what ssh-keygen -l prints', () => {
  for (const key of [hostA, hostEcdsa]) {
    const printed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', key.file], { encoding: 'utf8' }).split(/\s+/)[1];
    assert.equal(fingerprintSha256(key.blob), printed);
  }
});

test('keyTypeOfBlob reads the type inside the blob; garbage gives null', () => {
  assert.equal(keyTypeOfBlob(hostA.blob), 'ssh-ed25519');
  assert.equal(keyTypeOfBlob(hostEcdsa.blob), 'ecdsa-sha2-nistp256');
  assert.equal(keyTypeOfBlob(Buffer.from([0, 0, 0])), null);
  assert.equal(keyTypeOfBlob(Buffer.from([0xff, 0xff, 0xff, 0xff, 1])), null);
});

test('knownHostName uses [host]:port except for port 22', () => {
  assert.equal(knownHostName('hv1', 22), 'hv1');
  assert.equal(knownHostName('127.0.0.1', 2222), '[127.0.0.1]:2222');
});

test('plain entry with a comma list matches each listed name', () => {
  const entries = parseKnownHosts(`hv1,10.0.0.5 ${hostA.line}\n`);
  assert.equal(entries.length, 1);
  assert.deepEqual(verifyHostKey(entries, 'hv1', 22, hostA.blob), { status: 'match' });
  assert.deepEqual(verifyHostKey(entries, '10.0.0.5', 22, hostA.blob), { status: 'match' });
  assert.equal(verifyHostKey(entries, 'hv2', 22, hostA.blob).status, 'unknown');
});

test('[host]:port entry matches only that port', () => {
  const entries = parseKnownHosts(`[127.0.0.1]:2222 ${hostA.line}\n`);
  assert.deepEqual(verifyHostKey(entries, '127.0.0.1', 2222, hostA.blob), { status: 'match' });
  assert.equal(verifyHostKey(entries, '127.0.0.1', 22, hostA.blob).status, 'unknown');
  assert.equal(verifyHostKey(entries, '127.0.0.1', 2223, hostA.blob).status, 'unknown');
});

test('hashed |1| entries written by ssh-keygen -H match by HMAC-SHA1, for port 22 and [host]:port', () => {
  const file = path.join(dir, 'hashed_known_hosts');
  fs.writeFileSync(file, `hv1 ${hostA.line}\n[hv1]:2222 ${hostB.line}\n`);
  execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' });
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(!text.includes('hv1'), 'ssh-keygen -H replaced the names with hashes');
  const entries = parseKnownHosts(text);
  assert.equal(entries.length, 2);
  assert.ok(entries.every((e) => e.hashed !== null));
  assert.deepEqual(verifyHostKey(entries, 'hv1', 22, hostA.blob), { status: 'match' });
  assert.deepEqual(verifyHostKey(entries, 'hv1', 2222, hostB.blob), { status: 'match' });
  assert.equal(verifyHostKey(entries, 'hv2', 22, hostA.blob).status, 'unknown');
});

test('hashed entries match a host name spelled with capitals, as ssh(1) lowercases it: a changed key is a mismatch, not unknown', () => {
  const file = path.join(dir, 'hashed_known_hosts_case');
  fs.writeFileSync(file, `hv1.example.org ${hostA.line}\n[hv1.example.org]:2222 ${hostA.line}\n`);
  execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' });
  const entries = parseKnownHosts(fs.readFileSync(file, 'utf8'));
  assert.ok(entries.every((e) => e.hashed !== null));
  assert.deepEqual(verifyHostKey(entries, 'HV1.Example.org', 22, hostA.blob), { status: 'match' });
  assert.deepEqual(verifyHostKey(entries, 'HV1.Example.org', 2222, hostA.blob), { status: 'match' });
  assert.equal(verifyHostKey(entries, 'HV1.Example.org', 22, hostB.blob).status, 'mismatch');
});

test('a different key of the same type is a mismatch naming expected and actual fingerprints', () => {
  const entries = parseKnownHosts(`hv1 ${hostA.line}\n`, '/home/me/.ssh/known_hosts');
  const verdict = verifyHostKey(entries, 'hv1', 22, hostB.blob);
  assert.equal(verdict.status, 'mismatch');
  if (verdict.status !== 'mismatch') return;
  assert.deepEqual(verdict.expected, [fingerprintSha256(hostA.blob)]);
  assert.equal(verdict.actual, fingerprintSha256(hostB.blob));
  assert.deepEqual(verdict.sources, ['/home/me/.ssh/known_hosts:1']);
});

test('a host known only with another key type is unknown, listing the known types', () => {
  const entries = parseKnownHosts(`hv1 ${hostA.line}\n`);
  const verdict = verifyHostKey(entries, 'hv1', 22, hostEcdsa.blob);
  assert.equal(verdict.status, 'unknown');
  if (verdict.status === 'unknown') assert.deepEqual(verdict.otherKnownTypes, ['ssh-ed25519']);
});

test('unknown host gives the SHA256 fingerprint of the presented key', () => {
  const verdict = verifyHostKey([], 'hv1', 22, hostA.blob);
  assert.deepEqual(verdict, { status: 'unknown', actual: fingerprintSha256(hostA.blob), otherKnownTypes: [] });
});

test('@revoked key is refused even when a plain line lists it; @cert-authority lines are not trusted keys', () => {
  const entries = parseKnownHosts(`hv1 ${hostA.line}\n@revoked * ${hostA.line}\n@cert-authority hv2 ${hostB.line}\n`);
  assert.equal(verifyHostKey(entries, 'hv1', 22, hostA.blob).status, 'revoked');
  // the CA key itself presented as a host key is not accepted
  assert.equal(verifyHostKey(entries, 'hv2', 22, hostB.blob).status, 'unknown');
});

test('wildcards and negation follow OpenSSH patterns', () => {
  const entries = parseKnownHosts(`*.lab,!bad.lab ${hostA.line}\n`);
  assert.equal(verifyHostKey(entries, 'hv1.lab', 22, hostA.blob).status, 'match');
  assert.equal(verifyHostKey(entries, 'bad.lab', 22, hostA.blob).status, 'unknown');
});

test('comments, blank lines, unknown markers, corrupt keys and type/blob disagreement are skipped', () => {
  const corruptType = `hv1 ssh-rsa ${hostA.line.split(' ')[1]}`;
  const text = `# comment\n\n@foo hv1 ${hostA.line}\nhv1 ssh-ed25519 !!!notbase64\n${corruptType}\n|1|short|short ${hostA.line}\nhv1\nhv9 ${hostB.line}\n`;
  const entries = parseKnownHosts(text);
  assert.equal(entries.length, 1);
  assert.deepEqual(entries[0].patterns, ['hv9']);
  assert.equal(entries[0].line, 8);
});

test('appendKnownHost writes a 0600 file whose line ssh-keygen -F finds', async () => {
  const file = path.join(dir, 'project', 'known_hosts');
  await appendKnownHost(file, '127.0.0.1', 2222, hostA.blob);
  await appendKnownHost(file, 'hv1', 22, hostB.blob);
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  const entries = parseKnownHosts(fs.readFileSync(file, 'utf8'));
  assert.equal(verifyHostKey(entries, '127.0.0.1', 2222, hostA.blob).status, 'match');
  assert.equal(verifyHostKey(entries, 'hv1', 22, hostB.blob).status, 'match');
  const found = execFileSync('ssh-keygen', ['-F', '[127.0.0.1]:2222', '-f', file], { encoding: 'utf8' });
  assert.match(found, /ssh-ed25519/);
});

test('appendKnownHost under HashKnownHosts yes hashes the name as ssh(1) does: ssh-keygen -F finds it, the name is not in the file', async () => {
  const file = path.join(dir, 'hashed', 'known_hosts');
  await appendKnownHost(file, '127.0.0.1', 2222, hostA.blob, true);
  await appendKnownHost(file, 'hv1', 22, hostB.blob, true);
  const text = fs.readFileSync(file, 'utf8');
  assert.doesNotMatch(text, /127\.0\.0\.1|hv1/);
  assert.match(text, /^\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+ ssh-ed25519 /);
  const entries = parseKnownHosts(text);
  assert.equal(verifyHostKey(entries, '127.0.0.1', 2222, hostA.blob).status, 'match');
  assert.equal(verifyHostKey(entries, 'hv1', 22, hostB.blob).status, 'match');
  for (const name of ['[127.0.0.1]:2222', 'hv1'])
    assert.match(execFileSync('ssh-keygen', ['-F', name, '-f', file], { encoding: 'utf8' }), /^# Host .* found: line \d+/m, name);
  // a name typed in capitals is stored as ssh stores it, lower-case, and found again (it was asked about at every connection)
  await appendKnownHost(file, 'KVM-Big', 22, hostEcdsa.blob, true);
  assert.equal(verifyHostKey(parseKnownHosts(fs.readFileSync(file, 'utf8')), 'KVM-Big', 22, hostEcdsa.blob).status, 'match');
  assert.match(execFileSync('ssh-keygen', ['-F', 'kvm-big', '-f', file], { encoding: 'utf8' }), /^# Host kvm-big found: line \d+/m);
});
