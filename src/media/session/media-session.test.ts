import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CaptureSink,
  G722,
  Harness,
  PCMA,
  PCMU,
  ToneSource,
  config,
  dominantFrequency,
  level,
} from '../../../test/support/media-session-harness.ts';
import { MediaSessionError } from './session-error.ts';
import { TickScheduler } from './tick-scheduler.ts';

test('a tone played into A arrives at B: one packet per tick, decoded at the right frequency', async () => {
  const h = await Harness.create();
  try {
    const [a, b] = h.pair({ silence: 'none' }, { silence: 'none' });
    const heard = new CaptureSink();
    b.addTap(heard, 'received');
    const events: string[] = [];
    a.on('playback.started', (e) => events.push(`started ${e.id}`));
    a.on('playback.stopped', (e) => events.push(`stopped ${e.id} ${e.reason}`));
    const tone = new ToneSource(1000, { durationMs: 1000 });
    const id = a.play(tone);
    await h.run(70);
    assert.deepEqual(events, [`started ${id}`, `stopped ${id} finished`]);
    assert.equal(tone.closed, true, 'the player closes its source');
    assert.equal(a.stats().localPacketsOut, 50, '1 s of 20 ms packets');
    assert.equal(b.stats().audioPacketsIn, 50);
    assert.equal(b.stats().packetsLost, 0);
    const samples = heard.samples();
    // Everything the jitter buffer played out: 50 frames of tone.
    assert.equal(b.stats().decodedFrames, 50);
    let voiced = 0;
    for (let i = 0; i + 160 <= samples.length; i += 160) if (level(samples.subarray(i, i + 160)) > 3000) voiced++;
    // Fifty frames of tone, plus the last one repeated once when the stream stops (concealment).
    assert.equal(voiced, 50 + b.stats().concealedFrames);
    assert.ok(b.stats().concealedFrames <= 1);
    assert.equal(dominantFrequency(samples, 8000), 1000);
    assert.equal(a.stats().decodedFrames, 0, 'A has no reason to decode');
  } finally {
    await h.close();
  }
});

test('silence keeps RTP flowing when nothing plays; silence "none" sends nothing', async () => {
  const h = await Harness.create();
  try {
    const [a, b] = h.pair({}, { silence: 'none' });
    await h.run(10);
    assert.equal(b.stats().audioPacketsIn, 10);
    assert.equal(a.stats().audioPacketsIn, 0);
    assert.equal(b.stats().localPacketsOut, 0);
  } finally {
    await h.close();
  }
});

test('hold: recvonly and inactive stop sending; time keeps running; sendonly ignores what arrives', async () => {
  const h = await Harness.create();
  try {
    const a = h.session();
    const b = h.session({ probe: true });
    h.connect(a, b);
    await h.run(5);
    assert.equal(b.stats().audioPacketsIn, 5);
    a.configure({ ...a.config, direction: 'recvonly' });
    await h.run(5);
    assert.equal(b.stats().audioPacketsIn, 5, 'recvonly sends nothing');
    a.configure({ ...a.config, direction: 'inactive' });
    await h.run(5);
    assert.equal(b.stats().audioPacketsIn, 5, 'inactive sends nothing');
    assert.ok(a.stats().ignoredPacketsIn >= 5, 'inactive ignores what arrives');
    a.configure({ ...a.config, direction: 'sendrecv' });
    await h.run(5);
    assert.equal(b.stats().audioPacketsIn, 10);
    const p = h.probe(b);
    assert.equal(p[5]!.marker, true, 'the first packet after the hold starts a talkspurt');
    assert.equal((p[5]!.seq - p[4]!.seq) & 0xffff, 1, 'no sequence gap across the hold');
    assert.equal((p[5]!.ts - p[4]!.ts) >>> 0, 160 * 11, 'the timestamp advanced through the 10 silent ticks');
    b.configure({ ...b.config, direction: 'sendonly' });
    const before = b.stats().audioPacketsIn;
    await h.run(3);
    assert.equal(b.stats().audioPacketsIn, before, 'sendonly ignores received audio');
    assert.equal(a.stats().audioPacketsIn > 0, true, 'but sends');
  } finally {
    await h.close();
  }
});

test('re-INVITE: a new codec mid-call, numbering continues, the tone still decodes', async () => {
  const h = await Harness.create();
  try {
    const a = h.session({ silence: 'none' });
    const b = h.session({ silence: 'none', probe: true });
    h.connect(a, b);
    const heard = new CaptureSink(16000);
    b.addTap(heard, 'received');
    a.play(new ToneSource(800));
    await h.run(10);
    for (const s of [a, b]) s.configure({ ...s.config, codec: PCMA });
    await h.run(10);
    for (const s of [a, b]) s.configure({ ...s.config, codec: G722 });
    await h.run(25);
    const p = h.probe(b);
    assert.deepEqual([...new Set(p.map((x) => x.pt))], [0, 8, 9]);
    for (let i = 1; i < p.length; i++) assert.equal((p[i]!.seq - p[i - 1]!.seq) & 0xffff, 1);
    const tail = heard.samples().subarray(-16000 * 0.3);
    assert.ok(Math.abs(dominantFrequency(tail, 16000) - 800) <= 10, 'G.722 leg decodes the tone at 16 kHz');
    assert.equal(b.stats().codec, 'G722');
  } finally {
    await h.close();
  }
});

test('play: a new play replaces the current one, queue waits, loop replays, stopPlayback stops', async () => {
  const h = await Harness.create();
  try {
    const [a] = h.pair({ silence: 'none' }, { silence: 'none' });
    const log: string[] = [];
    a.on('playback.started', (e) => log.push(`+${e.id}`));
    a.on('playback.stopped', (e) => log.push(`-${e.id}:${e.reason}`));
    a.play(new ToneSource(500, { durationMs: 100 }), { id: 'p1' });
    a.play(new ToneSource(600, { durationMs: 100 }), { id: 'p2' });
    a.play(new ToneSource(700, { durationMs: 40 }), { id: 'p3', queue: true, loop: 2 });
    assert.throws(() => a.play(new ToneSource(1), { id: 'p2' }), (e: unknown) => e instanceof MediaSessionError && e.code === 'MEDIA_SESSION_ID');
    await h.run(12);
    assert.deepEqual(log, ['-p1:stopped', '+p2', '-p2:finished', '+p3', '-p3:finished']);
    assert.equal(a.stats().localPacketsOut, 5 + 4);
    a.play(new ToneSource(500), { id: 'p4' });
    await h.run(2);
    assert.equal(a.stopPlayback(), true);
    assert.equal(log.at(-1), '-p4:stopped');
  } finally {
    await h.close();
  }
});

test('talk detection reports talking and stopped', async () => {
  const h = await Harness.create();
  try {
    const [a, b] = h.pair({ silence: 'none' }, { talkDetection: { hangoverMs: 200 } });
    const talk: string[] = [];
    b.on('talk', (e) => talk.push(e.state));
    a.play(new ToneSource(400, { durationMs: 400 }));
    await h.run(40);
    assert.deepEqual(talk, ['talking', 'stopped']);
  } finally {
    await h.close();
  }
});

test('close() is idempotent, gives the port back and leaves the clock', async () => {
  const h = await Harness.create();
  const free = h.pool.free;
  const a = h.session();
  const b = h.session();
  h.connect(a, b);
  const rec = new CaptureSink();
  a.record(rec);
  const tone = new ToneSource(300);
  a.play(tone);
  await h.run(3);
  const scheduler = TickScheduler.of(h.clock);
  assert.equal(scheduler.sessionCount, 2);
  assert.equal(h.clock.stats().subscribers, 1, 'one scheduler subscription for every session');
  const closed: string[] = [];
  a.on('closed', (e) => closed.push(e.reason));
  a.close('hangup');
  a.close();
  assert.deepEqual(closed, ['hangup']);
  assert.equal(tone.closed, true);
  assert.equal(scheduler.sessionCount, 1);
  assert.throws(() => a.play(new ToneSource(1)), (e: unknown) => e instanceof MediaSessionError && e.code === 'MEDIA_SESSION_CLOSED');
  b.close();
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(rec.closed, true);
  assert.equal(h.pool.free, free);
  assert.equal(h.clock.stats().subscribers, 0);
  assert.ok(level(rec.samples(1)) > 0, 'channel 1 recorded what A sent');
  await h.close();
});

test('configuration errors are MEDIA_SESSION_CONFIG', async () => {
  const h = await Harness.create();
  try {
    const bad = (cfg: Parameters<typeof config>[1], codec = PCMU): void => {
      assert.throws(() => h.session({ config: config(codec, cfg) }), (e: unknown) => e instanceof MediaSessionError && e.code === 'MEDIA_SESSION_CONFIG');
    };
    bad({}, { ...PCMU, name: 'G729' });
    bad({ ptime: 150 });
    bad({ ptime: 0.1 });
    bad({ direction: 'sideways' as 'sendrecv' });
    bad({ telephoneEventPt: 0 });
    bad({}, { ...G722, sampleRate: 8000 });
  } finally {
    // A failed creation leaves the port with its owner (the harness closes it): close() checks the pool.
    await h.close();
  }
});
