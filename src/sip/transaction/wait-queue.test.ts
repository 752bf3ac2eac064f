import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../lib/index.ts';
import { WaitQueues } from './wait-queue.ts';

test('wait queues: timers of one length share one clock timer and fire in arming order', () => {
  const clock = new VirtualClock();
  const waits = new WaitQueues(clock);
  const fired: string[] = [];
  for (let i = 0; i < 1000; i++) {
    waits.add(32_000, 'L', () => fired.push(`L${i}`));
    clock.advance(1);
  }
  waits.add(5000, 'I', () => fired.push('I'));
  assert.equal(waits.size, 1001);
  assert.equal(clock.pending, 2, 'one clock timer per length, not per timer');
  clock.advance(5000);
  assert.deepEqual(fired, ['I']);
  clock.advance(32_002 - clock.now());
  assert.deepEqual(fired.slice(1), ['L0', 'L1', 'L2'], 'L<i> was armed at i ms');
  clock.runAll();
  assert.equal(fired.length, 1001);
  assert.equal(fired.at(-1), 'L999');
  assert.equal(waits.size, 0);
  assert.equal(clock.pending, 0);
});

test('wait queues: a cancelled timer never fires; cancelling the last one stops the clock timer', () => {
  const clock = new VirtualClock();
  const waits = new WaitQueues(clock);
  const fired: string[] = [];
  const a = waits.add(100, 'a', () => fired.push('a'));
  const b = waits.add(100, 'b', () => fired.push('b'));
  a.cancel();
  a.cancel();
  clock.advance(100);
  assert.deepEqual(fired, ['b']);
  b.cancel();
  const c = waits.add(100, 'c', () => fired.push('c'));
  c.cancel();
  assert.equal(clock.pending, 0);
  assert.equal(waits.size, 0);
});

test('wait queues: a timer armed or cancelled from a firing one is honoured; a throwing one does not stop the rest', () => {
  const clock = new VirtualClock();
  const waits = new WaitQueues(clock);
  const fired: string[] = [];
  waits.add(100, 'first', () => {
    fired.push('first');
    waits.add(100, 'again', () => fired.push('again'));
    later.cancel();
  });
  waits.add(100, 'boom', () => {
    throw new Error('bug');
  });
  waits.add(100, 'after', () => fired.push('after'));
  const later = waits.add(100, 'cancelled', () => fired.push('cancelled'));
  assert.throws(() => clock.advance(100), /bug/);
  clock.advance(0);
  assert.deepEqual(fired, ['first', 'after']);
  clock.advance(100);
  assert.deepEqual(fired, ['first', 'after', 'again']);
  assert.equal(clock.pending, 0);
});
