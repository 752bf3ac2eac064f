import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from './clock.ts';

test('virtual clock fires timers in deadline order and only when due', () => {
  const clock = new VirtualClock();
  const fired: string[] = [];
  clock.setTimeout(() => fired.push('b'), 200);
  clock.setTimeout(() => fired.push('a'), 100);
  const c = clock.setTimeout(() => fired.push('c'), 150);
  c.cancel();
  clock.advance(99);
  assert.deepEqual(fired, []);
  clock.advance(1);
  assert.deepEqual(fired, ['a']);
  assert.equal(clock.now(), 100);
  clock.advance(500);
  assert.deepEqual(fired, ['a', 'b']);
  assert.equal(clock.now(), 600);
  assert.equal(clock.pending, 0);
});

test('a timer armed by a firing timer fires within the same advance when due', () => {
  const clock = new VirtualClock();
  const at: number[] = [];
  const rearm = () => {
    at.push(clock.now());
    if (at.length < 4) clock.setTimeout(rearm, 500);
  };
  clock.setTimeout(rearm, 500);
  clock.advance(2000);
  assert.deepEqual(at, [500, 1000, 1500, 2000]);
});
