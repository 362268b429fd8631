// Shared rule plumbing: readDecimal, virStrToLong_uip base 10, the one reader of <boot order>, <acpi index> and <vlan><tag id>
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readDecimal, readSignedDecimal } from '../../../../server/src/service/rules/common';

test("readDecimal reads what strtoul reads whole: blanks and one '+' first, then only digits, up to UINT_MAX", () => {
  // ' 1', '+1' and '01' are boot order 1 to `virsh define`; '1 ' is "Expected non-negative integer value"
  const cases: Array<[string, number | null]> = [
    ['1', 1],
    ['01', 1],
    [' 1', 1],
    ['\t\n 1', 1],
    ['+1', 1],
    [' +42', 42],
    ['0', 0],
    ['4294967295', 4294967295],
    ['4294967296', null],
    ['99999999999999999999999', null],
    ['1 ', null],
    ['-1', null],
    ['++1', null],
    ['+ 1', null],
    ['0x10', null],
    ['1e3', null],
    ['', null],
    [' ', null],
    ['+', null],
  ];
  for (const [raw, expected] of cases) assert.equal(readDecimal(raw), expected, JSON.stringify(raw));
});

test("readSignedDecimal reads what strtol reads whole into an int: blanks, one '+' or '-', then only digits", () => {
  // <controller index>: ' 1', '+1', '01' and '-0' are read by `virsh define`; '1 ', '0x1', '' and 2147483648 are not integers
  const cases: Array<[string, number | null]> = [
    ['1', 1],
    ['01', 1],
    [' 1', 1],
    ['\t\n 1', 1],
    ['+1', 1],
    ['-1', -1],
    ['-0', 0],
    ['2147483647', 2147483647],
    ['2147483648', null],
    ['-2147483648', -2147483648],
    ['-2147483649', null],
    ['99999999999999999999999', null],
    ['1 ', null],
    ['+-1', null],
    ['- 1', null],
    ['0x1', null],
    ['1e0', null],
    ['', null],
    [' ', null],
    ['-', null],
  ];
  for (const [raw, expected] of cases) assert.equal(readSignedDecimal(raw), expected, JSON.stringify(raw));
});
