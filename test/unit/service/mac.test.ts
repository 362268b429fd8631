import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeMac, parseMac, readMac } from '../../../server/src/service/mac';

// Spellings that take the two-digit shortcut and spellings that need virMacAddrParse's general reading.
const SPELLINGS = [
  '52:54:00:6d:90:02',
  '52:54:00:6D:90:02',
  'FF:FF:FF:FF:FF:FF',
  '00:00:00:00:00:00',
  '01:00:5e:00:00:01',
  '52:54:0:6d:9:2',
  '0:0:0:0:0:0',
  '52:54:00:6d:90:02 ',
  '52:54:00:6d:90:02\t',
  '52:54:00:6d:90:02x',
  ' 52:54:00:6d:90:02',
  '52-54-00-6d-90-02',
  '52:54:00:6d:90',
  '52:54:00:6d:90:02:03',
  '52:54:00:6d:9g:02',
  '525:54:00:6d:90:0',
  '',
];

describe('MAC reading (virMacAddrParse)', () => {
  it('readMac and normalizeMac give what the general parser gives, for every spelling', () => {
    for (const raw of SPELLINGS) {
      const parsed = parseMac(raw);
      const expected = parsed.ok
        ? {
            normalized: parsed.normalized,
            multicast: (parsed.octets[0] & 1) === 1,
            zero: parsed.octets.every((o) => o === 0),
          }
        : null;
      assert.deepEqual(readMac(raw), expected, JSON.stringify(raw));
      assert.equal(normalizeMac(raw), expected?.normalized ?? null, JSON.stringify(raw));
    }
  });

  it('normalises to lower case, two digits an octet', () => {
    assert.equal(normalizeMac('52:54:0:6D:9:2'), '52:54:00:6d:09:02');
    assert.equal(normalizeMac('AA:BB:CC:DD:EE:0F'), 'aa:bb:cc:dd:ee:0f');
    assert.deepEqual(readMac('FF:FF:FF:FF:FF:FF'), { normalized: 'ff:ff:ff:ff:ff:ff', multicast: true, zero: false });
  });
});
