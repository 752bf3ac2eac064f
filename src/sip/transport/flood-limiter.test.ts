import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../lib/index.ts';
import { FloodLimiter } from './flood-limiter.ts';

test('flood limiter: burst, then reject, then drop; refills at the rate', () => {
  const clock = new VirtualClock();
  const limiter = new FloodLimiter({ clock, ratePerSecond: 10, burst: 5, rejectBurst: 3 });
  const verdicts = Array.from({ length: 10 }, () => limiter.check('192.0.2.1'));
  assert.deepEqual(verdicts, ['allow', 'allow', 'allow', 'allow', 'allow', 'reject', 'reject', 'reject', 'drop', 'drop']);
  assert.equal(limiter.check('192.0.2.2'), 'allow');
  assert.equal(limiter.retryAfterSeconds('192.0.2.1'), 1);
  clock.advance(100);
  assert.equal(limiter.check('192.0.2.1'), 'reject');
  assert.equal(limiter.check('192.0.2.1'), 'drop');
  clock.advance(1000);
  assert.equal(limiter.retryAfterSeconds('192.0.2.1'), 0);
  assert.equal(limiter.check('192.0.2.1'), 'allow');
  clock.advance(60_000);
  assert.deepEqual(Array.from({ length: 6 }, () => limiter.check('192.0.2.1')), ['allow', 'allow', 'allow', 'allow', 'allow', 'reject']);
});

test('flood limiter: a sustained flood is answered at most at the rate', () => {
  const clock = new VirtualClock();
  const limiter = new FloodLimiter({ clock, ratePerSecond: 20, burst: 20 });
  const counts = { allow: 0, reject: 0, drop: 0 };
  for (let ms = 0; ms < 10_000; ms++) {
    counts[limiter.check('198.51.100.9')]++;
    clock.advance(1);
  }
  assert.ok(counts.allow + counts.reject <= 20 * 10 + 20 + 20 + 1, JSON.stringify(counts));
  assert.ok(counts.drop > 9000);
});

test('flood limiter: the table is bounded, least recently seen evicted; IPv6 spellings share a bucket', () => {
  const clock = new VirtualClock();
  const limiter = new FloodLimiter({ clock, ratePerSecond: 1, burst: 1, maxSources: 3 });
  assert.equal(limiter.check('2001:db8::1'), 'allow');
  assert.equal(limiter.check('[2001:DB8:0:0::1]'), 'reject');
  limiter.check('10.0.0.2');
  limiter.check('10.0.0.3');
  limiter.check('2001:db8::1');
  limiter.check('10.0.0.4');
  assert.equal(limiter.size, 3);
  assert.equal(limiter.check('10.0.0.2'), 'allow');
  assert.notEqual(limiter.check('2001:db8::1'), 'allow');
  limiter.clear();
  assert.equal(limiter.size, 0);
  assert.throws(() => new FloodLimiter({ clock, ratePerSecond: 0, burst: 1 }), RangeError);
});
