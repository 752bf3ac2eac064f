import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock, type Clock, type TimerHandle } from '../lib/index.ts';
import { MediaClock, MediaClockError } from './media-clock.ts';

/** A clock whose time and timer firing are both set by the test: lets a test make the event loop "late". */
class StallableClock implements Clock {
  time = 0;
  timers: { at: number; fn: () => void; live: boolean }[] = [];
  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const t = { at: this.time + ms, fn, live: true };
    this.timers.push(t);
    return { cancel: () => (t.live = false) };
  }
  /** Moves time to `at` and fires whatever timer is pending (however late that makes it). */
  fireAt(at: number): void {
    this.time = at;
    const due = this.timers.filter((t) => t.live);
    this.timers = [];
    for (const t of due) t.fn();
  }
}

test('virtual time: exactly 50 ticks per second over ten minutes, no lateness, no skips', () => {
  const clock = new VirtualClock(12_345);
  const mc = new MediaClock({ clock });
  let count = 0;
  let lastIndex = -1;
  let lastAt = 0;
  mc.subscribe((n, at) => {
    assert.equal(n, lastIndex + 1, 'consecutive indices');
    if (n > 0) assert.equal(at - lastAt, 20, 'deadlines 20 ms apart');
    lastIndex = n;
    lastAt = at;
    count++;
  });
  mc.start();
  assert.equal(count, 0, 'tick 0 fires from the timer, not inside start()');
  for (let minute = 1; minute <= 10; minute++) {
    clock.advance(60_000);
    assert.equal(count, minute * 3000 + 1, `after ${minute} min`);
  }
  const s = mc.stats();
  assert.deepEqual(
    { ticks: s.ticks, late: s.late, skipped: s.skipped, p50: s.latenessP50Ms, p99: s.latenessP99Ms, max: s.latenessMaxMs },
    { ticks: 30_001, late: 0, skipped: 0, p50: 0, p99: 0, max: 0 },
  );
  mc.close();
  clock.advance(1000);
  assert.equal(count, 30_001);
  assert.equal(clock.pending, 0);
});

test('late event loop: missed ticks catch up back to back, beyond maxCatchUp they are skipped', () => {
  const clock = new StallableClock();
  const mc = new MediaClock({ clock, maxCatchUp: 5 });
  const seen: number[] = [];
  mc.subscribe((n) => seen.push(n));
  mc.start();
  const cases: { name: string; at: number; ran: number[]; skipped: number }[] = [
    { name: 'on time', at: 0, ran: [0], skipped: 0 },
    { name: '3 ms late', at: 23, ran: [1], skipped: 0 },
    { name: '4 ticks missed (60-100 ms)', at: 100, ran: [2, 3, 4, 5], skipped: 0 },
    { name: 'stall of 200 ms: 10 due, 5 run, 5 skipped', at: 300, ran: [11, 12, 13, 14, 15], skipped: 5 },
    { name: 'back on time', at: 320, ran: [16], skipped: 5 },
    { name: 'early wake-up re-arms without a tick', at: 330, ran: [], skipped: 5 },
  ];
  for (const c of cases) {
    seen.length = 0;
    clock.fireAt(c.at);
    assert.deepEqual(seen, c.ran, c.name);
    assert.equal(mc.stats().skipped, c.skipped, c.name);
  }
  const s = mc.stats();
  assert.equal(s.ticks, 12);
  // Lateness: 0, 3, then 60/40/20/0, then 80/60/40/20/0, then 0: seven ticks over 5 ms.
  assert.equal(s.late, 7);
  assert.equal(s.latenessMaxMs, 80);
  assert.ok(Math.abs(s.latenessP50Ms - 20) < 0.2, 'median of 0,0,0,0,3,20,20,40,40,60,60,80');
  assert.equal(s.latenessP99Ms, 80);
  mc.close();
});

test('a throwing subscriber is counted and does not stop the others', () => {
  const clock = new VirtualClock();
  const mc = new MediaClock({ clock });
  const calls: string[] = [];
  mc.subscribe(() => calls.push('a'));
  mc.subscribe(() => {
    throw new Error('broken port');
  });
  mc.subscribe(() => calls.push('c'));
  mc.start();
  clock.advance(40);
  assert.deepEqual(calls, ['a', 'c', 'a', 'c', 'a', 'c']);
  assert.equal(mc.stats().errors, 3);
  mc.close();
});

test('unsubscribing inside a tick takes effect at once; subscribing inside a tick starts next tick', () => {
  const mc = new MediaClock({ clock: new VirtualClock() });
  const calls: string[] = [];
  let offB: () => void = () => {};
  mc.subscribe(() => {
    calls.push('a');
    offB();
    if (calls.length === 1) mc.subscribe(() => calls.push('late'));
  });
  offB = mc.subscribe(() => calls.push('b'));
  mc.tick();
  mc.tick();
  assert.deepEqual(calls, ['a', 'a', 'late']);
  offB();
  assert.equal(mc.stats().subscribers, 2);
});

test('manual driving: tick() when idle, MEDIA_CLOCK_STATE while running; bad period is MEDIA_CLOCK_CONFIG', () => {
  const mc = new MediaClock({ clock: new VirtualClock() });
  const seen: number[] = [];
  mc.subscribe((n) => seen.push(n));
  mc.tick();
  mc.tick();
  assert.deepEqual(seen, [0, 1]);
  mc.start();
  assert.throws(() => mc.tick(), (e: unknown) => e instanceof MediaClockError && e.code === 'MEDIA_CLOCK_STATE');
  mc.stop();
  mc.stop();
  assert.throws(() => new MediaClock({ periodMs: 0 }), (e: unknown) => e instanceof MediaClockError && e.code === 'MEDIA_CLOCK_CONFIG');
});

test('real time: about one second gives 50 ticks (count within one)', async () => {
  const mc = new MediaClock();
  let count = 0;
  mc.subscribe(() => count++);
  const t0 = performance.now();
  mc.start();
  await new Promise((r) => setTimeout(r, 1010));
  const elapsed = performance.now() - t0;
  mc.close();
  const expected = Math.floor(elapsed / 20) + 1;
  assert.ok(Math.abs(count - expected) <= 1, `ticks ${count}, expected ${expected} in ${elapsed.toFixed(1)} ms`);
  assert.equal(mc.stats().skipped, 0);
});
