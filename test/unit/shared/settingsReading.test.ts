// The host list as both sides read it, and the edits the client makes to the user's raw list
// (shared/settingsReading.ts). Reading a whole section is test/server/settings.test.ts.
import test from 'node:test';
import assert from 'node:assert/strict';
import { hostListWith, hostListWithout, missingHostReason, normalizeSettings, readHosts } from '../../../shared/settingsReading';

const lab = { name: 'lab', target: 'admin@kvm1' };
/** still being written: no target yet */
const half = { name: 'half' };
/** a typo in a key the user has yet to see */
const typo = { name: 'typo', target: 'kvm3', identity_file: '~/.ssh/id_lab' };

test('readHosts: an entry without a target is left out and named with what is wrong, as the server says it', () => {
  const notes: string[] = [];
  const read = readHosts([lab, half], notes);
  assert.deepEqual(read.hosts, [lab]);
  assert.deepEqual(read.unusableHosts, [{ name: 'half', problem: 'has no target (local, [user@]host[:port] or an ~/.ssh/config alias)' }]);
  assert.deepEqual(notes, [
    "libvirtHostdev.hosts[1] ('half') has no target (local, [user@]host[:port] or an ~/.ssh/config alias): left out",
  ]);
  const settings = normalizeSettings({ hosts: [lab, half], activeHost: 'half' });
  assert.equal(
    missingHostReason(settings, 'half'),
    "'half' is in libvirtHostdev.hosts but has no target (local, [user@]host[:port] or an ~/.ssh/config alias)",
  );
  assert.equal(missingHostReason(settings, 'gone'), "'gone' is not in libvirtHostdev.hosts");
});

test('readHosts: a list of 100,000 hosts is read up to its first 1,000, with one note saying so', () => {
  const notes: string[] = [];
  const many = Array.from({ length: 100_000 }, (_, i) => ({ name: `h${i}`, target: `admin@10.0.${i >> 8}.${i & 255}`, typo: 1 }));
  const { hosts } = readHosts(many, notes);
  assert.equal(hosts.length, 1000);
  assert.equal(hosts[999].name, 'h999');
  assert.ok(notes.includes('libvirtHostdev.hosts: 100000 hosts, only the first 1000 are read'), notes.slice(0, 3).join('\n'));
  assert.ok(notes.length <= 1001, `${notes.length} notes`);
});

test('hostListWith: adding a host keeps every other entry as written, unusable ones included', () => {
  const added = { name: 'new', target: 'root@kvm9' };
  assert.deepEqual(hostListWith([half, lab, typo, 'junk'], added), [half, lab, typo, 'junk', added]);
});

test('hostListWith: an edit replaces the entry it edits in place, also under a new name, and drops another entry of that name', () => {
  const renamed = { name: 'lab2', target: 'admin@kvm1' };
  assert.deepEqual(hostListWith([half, lab, typo], renamed, 'lab'), [half, renamed, typo]);
  const twin = { name: 'lab2', target: 'old' };
  assert.deepEqual(hostListWith([twin, half, lab], renamed, 'lab'), [half, renamed]);
  // an entry whose name the user wrote with spaces is the same host, as readHosts reads it
  assert.deepEqual(hostListWith([{ name: ' lab ', target: 'x' }, half], lab), [lab, half]);
});

test('hostListWith: a list that is not a list (a hand-written object) becomes a list of the new host', () => {
  assert.deepEqual(hostListWith({ lab }, lab), [lab]);
  assert.deepEqual(hostListWith(undefined, lab), [lab]);
});

test('hostListWithout: removes only the entries of that name', () => {
  assert.deepEqual(hostListWithout([half, lab, typo, null], 'lab'), [half, typo, null]);
  assert.deepEqual(hostListWithout([half], 'half'), []);
  assert.deepEqual(hostListWithout('not a list', 'lab'), []);
});
