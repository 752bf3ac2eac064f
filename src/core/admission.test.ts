import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../lib/index.ts';
import { AdmissionControl, CoreError, type AdmissionOptions, type AdmissionResult } from './index.ts';
import { FakeDriver, createHarness } from './testing/index.ts';

type Step = [atMs: number, active: number, expected: 'ok' | [reason: 'max-sessions' | 'rate', retryAfter: number]];

test('admission limits (table): concurrency cap, per-second rate with burst, Retry-After', () => {
  const cases: [string, AdmissionOptions, Step[]][] = [
    ['unlimited', {}, [[0, 0, 'ok'], [0, 10_000, 'ok']]],
    ['max 2 sessions', { maxSessions: 2 }, [[0, 0, 'ok'], [0, 1, 'ok'], [0, 2, ['max-sessions', 5]], [0, 3, ['max-sessions', 5]]]],
    ['max 0 refuses all', { maxSessions: 0, busyRetryAfter: 30 }, [[0, 0, ['max-sessions', 30]]]],
    ['2 per second', { sessionsPerSecond: 2 }, [
      [0, 0, 'ok'], [0, 0, 'ok'], [0, 0, ['rate', 1]],
      [499, 0, ['rate', 1]], [500, 0, 'ok'], [500, 0, ['rate', 1]],
      [3_000, 0, 'ok'], [3_000, 0, 'ok'], [3_000, 0, ['rate', 1]],
    ]],
    ['1 per 4 s (0.25/s)', { sessionsPerSecond: 0.25 }, [[0, 0, 'ok'], [0, 0, ['rate', 4]], [1_000, 0, ['rate', 3]], [4_000, 0, 'ok']]],
    ['burst 5 at 1/s', { sessionsPerSecond: 1, burst: 5 }, [
      [0, 0, 'ok'], [0, 0, 'ok'], [0, 0, 'ok'], [0, 0, 'ok'], [0, 0, 'ok'], [0, 0, ['rate', 1]], [1_000, 0, 'ok'], [1_000, 0, ['rate', 1]],
    ]],
    ['cap checked before rate (no token spent)', { maxSessions: 1, sessionsPerSecond: 1 }, [
      [0, 1, ['max-sessions', 5]], [0, 0, 'ok'], [0, 0, ['rate', 1]],
    ]],
  ];
  for (const [name, options, steps] of cases) {
    const clock = new VirtualClock(10_000);
    const ac = new AdmissionControl(clock, options);
    let now = 0;
    steps.forEach(([at, active, expected], i) => {
      clock.advance(at - now);
      now = at;
      const want: AdmissionResult = expected === 'ok' ? { ok: true } : { ok: false, status: 503, reason: expected[0], retryAfter: expected[1] };
      assert.deepEqual(ac.admit(active), want, `${name} step ${i}`);
    });
  }
});

test('limits can change at run time; bad limits are CORE_CONFIG', () => {
  const clock = new VirtualClock();
  const ac = new AdmissionControl(clock, { sessionsPerSecond: 1 });
  assert.ok(ac.admit(0).ok);
  assert.ok(!ac.admit(0).ok);
  ac.configure({ sessionsPerSecond: 100 });
  assert.ok(ac.admit(0).ok, 'the bucket starts full after a change');
  assert.deepEqual(ac.options, { sessionsPerSecond: 100 });
  for (const bad of [{ maxSessions: -1 }, { sessionsPerSecond: 0 }, { sessionsPerSecond: Number.NaN }, { burst: 0.5 }, { busyRetryAfter: -1 }]) {
    assert.throws(() => ac.configure(bad), (e: unknown) => e instanceof CoreError && e.code === 'CORE_CONFIG', JSON.stringify(bad));
  }
});

test('the switch admits against its live channel count, before anything is created', async () => {
  const h = createHarness({ admission: { maxSessions: 2, sessionsPerSecond: 10 } });
  const make = () => h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver: new FakeDriver() });
  assert.ok(h.sw.admit().ok);
  const a = make();
  assert.ok(h.sw.admit().ok);
  const b = make();
  assert.deepEqual(h.sw.admit(), { ok: false, status: 503, retryAfter: 5, reason: 'max-sessions' });
  await a.hangup();
  assert.ok(h.sw.admit().ok, 'a slot frees when a channel is destroyed');
  await b.hangup();
  assert.deepEqual(h.sw.stats(), { activeSessions: 0, sessionsSinceStartup: 2, peakSessions: 2 });
  await h.finish();
});

test('pause per direction (fsctl pause [inbound|outbound]): each flag refuses only its sessions; all refuses every one', () => {
  const ac = new AdmissionControl(new VirtualClock(0), { busyRetryAfter: 7 });
  const paused: AdmissionResult = { ok: false, status: 503, retryAfter: 7, reason: 'paused' };
  ac.setPaused('inbound', true);
  assert.deepEqual(ac.admit(0, 'inbound'), paused);
  assert.deepEqual(ac.admit(0, 'outbound'), { ok: true });
  assert.deepEqual(ac.admit(0), { ok: true }, 'no direction: only the all-flag applies');
  assert.equal(ac.isPaused('inbound'), true);
  assert.equal(ac.isPaused('all'), false);
  ac.setPaused('outbound', true);
  ac.setPaused('inbound', false);
  assert.deepEqual(ac.admit(0, 'inbound'), { ok: true });
  assert.deepEqual(ac.admit(0, 'outbound'), paused);
  ac.setPaused('outbound', false);
  ac.setPaused('all', true);
  assert.deepEqual(ac.admit(0), paused);
  assert.deepEqual(ac.admit(0, 'inbound'), paused);
  assert.deepEqual(ac.admit(0, 'outbound'), paused);
  ac.setPaused('all', false);
  assert.deepEqual(ac.admit(0, 'outbound'), { ok: true });
});
