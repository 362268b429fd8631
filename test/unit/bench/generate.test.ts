// The benchmark's generated inputs (test/bench/generate.ts) are what `npm run bench` says they are: valid
// domains whose only problems are the VFs the generated snapshot's guests hold. A rule that starts to
// flag every generated interface would otherwise make the bench time a thousand reports it was not meant to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from '../../../server/src/service/validate';
import { generateDomain, generateInventory } from '../../bench/generate';

const inventory = generateInventory(1024, 100);

test('the typical and medium generated domains have no problems against the generated snapshot', () => {
  for (const [interfaces, filler] of [
    [4, 130],
    [120, 190],
  ])
    assert.deepEqual(
      validate(generateDomain(interfaces, filler, inventory), { inventory }).map((p) => `${p.code}: ${p.message}`),
      [],
    );
});

test("the large generated domain's only problems are the VFs its snapshot's guests hold (38 held live, 38 in shut-off guests' configs)", () => {
  const problems = validate(generateDomain(1000, 0, inventory), { inventory });
  assert.deepEqual(
    problems.filter((p) => p.code !== 'vf-in-use').map((p) => `${p.code}: ${p.message}`),
    [],
  );
  const bySeverity = (severity: string) => problems.filter((p) => p.severity === severity).length;
  assert.deepEqual({ errors: bySeverity('error'), warnings: bySeverity('warning') }, { errors: 38, warnings: 38 });
});
