import { test } from 'node:test';
import assert from 'node:assert/strict';
import { timersFor } from './timers.ts';

const cases = [
  {
    args: [] as number[],
    fixed: { T1: 500, T2: 4000, T4: 5000, A: 500, B: 32_000, E: 500, F: 32_000, G: 500, H: 32_000, L: 32_000, M: 32_000 },
    unreliable: { D: 32_000, I: 5000, J: 32_000, K: 5000 },
  },
  {
    args: [100],
    fixed: { T1: 100, T2: 4000, T4: 5000, A: 100, B: 6400, E: 100, F: 6400, G: 100, H: 6400, L: 6400, M: 6400 },
    unreliable: { D: 32_000, I: 5000, J: 6400, K: 5000 },
  },
  {
    args: [1000, 8000, 10_000],
    fixed: { T1: 1000, T2: 8000, T4: 10_000, A: 1000, B: 64_000, E: 1000, F: 64_000, G: 1000, H: 64_000, L: 64_000, M: 64_000 },
    unreliable: { D: 64_000, I: 10_000, J: 64_000, K: 10_000 },
  },
];

for (const c of cases) {
  test(`timersFor(${c.args.join(', ')}): every RFC 3261 / RFC 6026 timer`, () => {
    const t = timersFor(...c.args);
    for (const [name, value] of Object.entries(c.fixed)) assert.equal(t[name as keyof typeof c.fixed], value, name);
    const { D, I, J, K } = c.unreliable;
    assert.deepEqual({ D: t.D(false), I: t.I(false), J: t.J(false), K: t.K(false) }, { D, I, J, K });
    assert.deepEqual({ D: t.D(true), I: t.I(true), J: t.J(true), K: t.K(true) }, { D: 0, I: 0, J: 0, K: 0 });
    assert.equal(t.trying, 200);
    assert.ok(Object.isFrozen(t));
  });
}

test('timersFor rejects non-positive or non-finite base values', () => {
  assert.throws(() => timersFor(0), RangeError);
  assert.throws(() => timersFor(500, -1), RangeError);
  assert.throws(() => timersFor(500, 4000, Number.NaN), RangeError);
});
