import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TypedEmitter, VirtualClock, silentLogger } from '../../lib/index.ts';
import { WORKER_EXITED, type MediaSessionEvents } from '../../media/index.ts';
import type { PlaybackOutcome, RecordOutcome } from '../../core/index.ts';
import { LATE_SETTLE_MS, sinkLimits, trackPlayback, trackRecording } from './outcome-tracker.ts';

const log = silentLogger();

/** What a media session (or its worker handle) looks like to the tracker: its typed events. */
function target(): TypedEmitter<MediaSessionEvents> {
  return new TypedEmitter<MediaSessionEvents>();
}

/** The outcome if the promise has settled by now (after pending microtasks), else undefined. */
async function settled<T>(p: Promise<T>): Promise<T | undefined> {
  let value: T | undefined;
  void p.then((v) => { value = v; });
  await new Promise((r) => setImmediate(r));
  return value;
}

function controls(id: string): { stops: string[]; start(): string; stop(id: string): void } {
  const stops: string[] = [];
  return { stops, start: () => id, stop: (x) => { stops.push(x); } };
}

test('a playback that finishes is done, timed from its start event, and ends at its offset plus what played', async () => {
  const t = target();
  const clock = new VirtualClock(1000);
  const p = trackPlayback(t, controls('p1'), { rate: 8000, offsetSamples: 800, log, name: 'x.wav', clock });
  clock.advance(40);
  t.emit('playback.started', { id: 'other' });
  t.emit('playback.started', { id: 'p1' });
  clock.advance(500);
  t.emit('playback.stopped', { id: 'other', reason: 'error', error: 'not mine' });
  assert.equal(await settled(p.done), undefined);
  t.emit('playback.stopped', { id: 'p1', reason: 'finished' });
  assert.deepEqual(await p.done, { status: 'done', durationMs: 500, offsetSamples: 800 + 4000 });
});

test('playback stop events map to stopped and failed; the first one counts', async () => {
  const cases: [MediaSessionEvents['playback.stopped'], PlaybackOutcome][] = [
    [{ id: 'p', reason: 'stopped' }, { status: 'stopped', durationMs: 0, offsetSamples: 0 }],
    [{ id: 'p', reason: 'error', error: 'bad file' }, { status: 'failed', durationMs: 0, offsetSamples: 0, error: 'bad file' }],
    [{ id: 'p', reason: 'error' }, { status: 'failed', durationMs: 0, offsetSamples: 0, error: 'playback failed' }],
  ];
  for (const [event, outcome] of cases) {
    const t = target();
    const p = trackPlayback(t, controls('p'), { rate: 8000, log, name: 'x', clock: new VirtualClock() });
    t.emit('playback.stopped', event);
    t.emit('playback.stopped', { id: 'p', reason: 'finished' });
    assert.deepEqual(await p.done, outcome);
  }
});

test('stopping a playback asks for its id once it has started and not after it settled', async () => {
  const t = target();
  const c = controls('p7');
  const p = trackPlayback(t, c, { rate: 16000, log, name: 'x', clock: new VirtualClock() });
  p.stop();
  assert.deepEqual(c.stops, ['p7']);
  t.emit('playback.stopped', { id: 'p7', reason: 'stopped' });
  assert.equal((await p.done).status, 'stopped');
  p.stop();
  assert.deepEqual(c.stops, ['p7']);
});

test('a playback settles stopped when its target closes, and stops listening', async () => {
  const t = target();
  const clock = new VirtualClock();
  const p = trackPlayback(t, controls('p'), { rate: 8000, log, name: 'x', clock });
  t.emit('playback.started', { id: 'p' });
  clock.advance(250);
  t.emit('closed', { reason: 'hangup' });
  assert.deepEqual(await p.done, { status: 'stopped', durationMs: 250, offsetSamples: 2000 });
  // A later event of the same id changes nothing.
  t.emit('playback.stopped', { id: 'p', reason: 'finished' });
  assert.equal((await p.done).status, 'stopped');
});

test('a playback that cannot start fails; one that stops while starting settles', async () => {
  const t = target();
  const failed = trackPlayback(t, { start: () => { throw new Error('session closed'); }, stop: () => assert.fail('no id to stop') }, {
    rate: 8000, log, name: 'x',
  });
  assert.deepEqual(await failed.done, { status: 'failed', durationMs: 0, error: 'session closed' });
  failed.stop();
  const quick = trackPlayback(t, {
    start: () => {
      t.emit('playback.stopped', { id: 'q', reason: 'error', error: 'no audio' });
      return 'q';
    },
    stop: () => {},
  }, { rate: 8000, log, name: 'x' });
  assert.deepEqual(await quick.done, { status: 'failed', durationMs: 0, offsetSamples: 0, error: 'no audio' });
});

test('recording outcomes: the limit reached, else the stop asked for, else hangup when the target closed', async () => {
  const cases: [MediaSessionEvents['recording.stopped'], 'stopped' | 'hangup' | undefined, RecordOutcome][] = [
    [{ id: 'r', reason: 'stopped', limit: 'max-duration', durationMs: 2000, samples: 16000 }, undefined,
      { status: 'done', reason: 'max-duration', durationMs: 2000, samples: 16000 }],
    [{ id: 'r', reason: 'stopped', limit: 'silence', durationMs: 1500 }, 'stopped',
      { status: 'done', reason: 'silence', durationMs: 1500, samples: 12000 }],
    [{ id: 'r', reason: 'stopped', durationMs: 700, samples: 5600 }, 'stopped', { status: 'stopped', reason: 'stopped', durationMs: 700, samples: 5600 }],
    [{ id: 'r', reason: 'stopped', durationMs: 700, samples: 5600 }, 'hangup', { status: 'stopped', reason: 'hangup', durationMs: 700, samples: 5600 }],
    [{ id: 'r', reason: 'closed', durationMs: 300, samples: 2400 }, undefined, { status: 'stopped', reason: 'hangup', durationMs: 300, samples: 2400 }],
    [{ id: 'r', reason: 'stopped' }, undefined, { status: 'stopped', reason: 'stopped', durationMs: 0, samples: 0 }],
    [{ id: 'r', reason: 'error', error: 'disk full', durationMs: 100, samples: 800 }, undefined,
      { status: 'failed', durationMs: 100, samples: 800, error: 'disk full' }],
  ];
  for (const [event, requested, outcome] of cases) {
    const t = target();
    const stops: string[] = [];
    const r = trackRecording(t, 'recording.stopped', { start: () => 'r', stop: (id) => { stops.push(id); } }, {
      rate: 8000, log, name: 'x.wav', clock: new VirtualClock(),
    });
    if (requested) {
      r.stop(requested);
      r.stop('stopped');
      assert.deepEqual(stops, ['r'], 'one stop command');
    }
    t.emit('tap.stopped', { id: 'r', reason: 'error' });
    t.emit('recording.stopped', { id: 'other', reason: 'error' });
    t.emit('recording.stopped', event);
    assert.deepEqual(await r.done, outcome, JSON.stringify(event));
  }
});

test('a tap is followed by tap.stopped', async () => {
  const t = target();
  const r = trackRecording(t, 'tap.stopped', { start: () => 't1', stop: () => {} }, { rate: 16000, log, name: 'tap' });
  t.emit('recording.stopped', { id: 't1', reason: 'error' });
  t.emit('tap.stopped', { id: 't1', reason: 'stopped', durationMs: 100 });
  assert.deepEqual(await r.done, { status: 'stopped', reason: 'stopped', durationMs: 100, samples: 1600 });
});

test('after the target closed, a recording waits for its stop event, then settles hangup after the grace period', async () => {
  const clock = new VirtualClock();
  const t = target();
  const late = trackRecording(t, 'recording.stopped', { start: () => 'r', stop: () => {} }, { rate: 8000, log, name: 'x', clock });
  t.emit('closed', { reason: 'hangup' });
  clock.advance(LATE_SETTLE_MS - 1);
  assert.equal(await settled(late.done), undefined);
  t.emit('recording.stopped', { id: 'r', reason: 'closed', durationMs: 900, samples: 7200 });
  assert.deepEqual(await late.done, { status: 'stopped', reason: 'hangup', durationMs: 900, samples: 7200 });
  assert.equal(clock.pending, 0, 'the grace timer is cancelled');

  const t2 = target();
  const lost = trackRecording(t2, 'recording.stopped', { start: () => 'r', stop: () => {} }, { rate: 8000, log, name: 'x', clock, lateMs: 300 });
  t2.emit('closed', { reason: 'hangup' });
  clock.advance(300);
  assert.deepEqual(await lost.done, { status: 'stopped', reason: 'hangup', durationMs: 0 });
});

test('a recording settles at once when its media worker went away', async () => {
  const clock = new VirtualClock();
  const t = target();
  const r = trackRecording(t, 'recording.stopped', { start: () => 'r', stop: () => {} }, { rate: 8000, log, name: 'x', clock });
  t.emit('closed', { reason: WORKER_EXITED });
  assert.deepEqual(await r.done, { status: 'stopped', reason: 'hangup', durationMs: 0 });
  assert.equal(clock.pending, 0);
});

test('a recording that cannot start fails, by callback or by throw, and stop is then harmless', async () => {
  const t = target();
  let failed!: (error: string) => void;
  const late = trackRecording(t, 'recording.stopped', { start: (f) => { failed = f; return 'r'; }, stop: () => assert.fail('settled') }, {
    rate: 8000, log, name: 'x',
  });
  failed('cannot create x');
  assert.deepEqual(await late.done, { status: 'failed', durationMs: 0, error: 'cannot create x' });
  late.stop();
  const thrown = trackRecording(t, 'recording.stopped', { start: () => { throw new Error('closed'); }, stop: () => assert.fail('no id') }, {
    rate: 8000, log, name: 'x',
  });
  assert.deepEqual(await thrown.done, { status: 'failed', durationMs: 0, error: 'closed' });
  thrown.stop();
});

test('complete() adds what only the sink owner knows before the outcome is decided', async () => {
  const t = target();
  const r = trackRecording(t, 'recording.stopped', { start: () => 'r', stop: () => {} }, {
    rate: 8000, log, name: 'x',
    complete: (e) => ({ ...e, limit: 'silence', durationMs: 1200, samples: 9600 }),
  });
  t.emit('recording.stopped', { id: 'r', reason: 'stopped' });
  assert.deepEqual(await r.done, { status: 'done', reason: 'silence', durationMs: 1200, samples: 9600 });
});

test('sinkLimits keeps only the limits given', () => {
  assert.deepEqual(sinkLimits({}), {});
  assert.deepEqual(sinkLimits({ maxDurationMs: 5000, direction: 'both', stereo: true }), { maxDurationMs: 5000 });
  assert.deepEqual(sinkLimits({ silenceTimeoutMs: 2000, silenceThreshold: 300 }), { silenceTimeoutMs: 2000, silenceThreshold: 300 });
});
