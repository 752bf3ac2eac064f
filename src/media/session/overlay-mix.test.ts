import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ToneSource, dominantFrequency, level, toneShare } from '../../../test/support/media-session-harness.ts';
import { MediaSessionError } from './session-error.ts';
import { OverlayMix, gainFactor } from './overlay-mix.ts';

function mixer(): { mix: OverlayMix; events: string[] } {
  const events: string[] = [];
  const mix = new OverlayMix(8000, 160, {
    onStarted: (id) => events.push(`start ${id}`),
    onStopped: (id, reason) => events.push(`stop ${id} ${reason}`),
  });
  return { mix, events };
}

function run(mix: OverlayMix, ticks: number, base?: (i: number, out: Int16Array) => void): Int16Array {
  const all = new Int16Array(ticks * 160);
  const out = new Int16Array(160);
  for (let t = 0; t < ticks; t++) {
    out.fill(0);
    base?.(t, out);
    mix.mix(out);
    all.set(out, t * 160);
  }
  return all;
}

test('gainFactor: dB to a linear factor', () => {
  assert.equal(gainFactor(0), 1);
  assert.ok(Math.abs(gainFactor(-6) - 0.501) < 0.001);
  assert.ok(Math.abs(gainFactor(20) - 10) < 1e-9);
});

test('two tracks sound together over the frame they are mixed into, each at its gain', () => {
  const { mix, events } = mixer();
  assert.equal(mix.active, false);
  mix.play('music', new ToneSource(500, { amplitude: 4000 }), { loop: 0 });
  mix.play('voice', new ToneSource(1500, { amplitude: 4000 }), { gainDb: -6 });
  assert.equal(mix.active, true);
  assert.deepEqual(mix.tracks, ['music', 'voice']);
  const base = new ToneSource(1000, { amplitude: 4000 });
  const out = run(mix, 20, (_i, frame) => { base.read(frame); });
  for (const f of [500, 1000, 1500]) assert.ok(toneShare(out, 8000, f) > 0.1, `${f} Hz is in the mix`);
  // The -6 dB track is about half as strong as the 0 dB one.
  const ratio = Math.sqrt(toneShare(out, 8000, 1500) / toneShare(out, 8000, 500));
  assert.ok(ratio > 0.4 && ratio < 0.6, `gain ratio ${ratio}`);
  assert.equal(events.filter((e) => e.startsWith('start')).length, 2);
});

test('silence stops a track (it stays), a new play replaces what it played, remove drops it', () => {
  const { mix, events } = mixer();
  const first = mix.play('t', new ToneSource(500), { loop: 0 });
  run(mix, 2);
  const second = mix.play('t', new ToneSource(900), { loop: 0 });
  assert.ok(events.includes(`stop ${first} stopped`), 'the first play was replaced');
  assert.equal(dominantFrequency(run(mix, 10), 8000), 900);
  assert.ok(mix.silence('t'));
  assert.ok(events.includes(`stop ${second} stopped`));
  assert.equal(mix.active, false);
  assert.equal(mix.has('t'), true);
  assert.equal(level(run(mix, 3)), 0, 'nothing mixed once silenced');
  assert.equal(mix.silence('nope'), false);
  const third = mix.play('t', new ToneSource(700, { durationMs: 40 }));
  run(mix, 5);
  assert.ok(events.includes(`stop ${third} finished`), 'a play ends by itself');
  assert.ok(mix.remove('t'));
  assert.equal(mix.remove('t'), false);
  assert.deepEqual(mix.tracks, []);
});

test('the mix saturates instead of wrapping, and a gain out of range is refused', () => {
  const { mix } = mixer();
  mix.play('loud', new ToneSource(400, { amplitude: 30000 }), { loop: 0, gainDb: 10 });
  const out = run(mix, 5, (_i, frame) => frame.fill(30000));
  assert.ok(Math.max(...out) <= 32767 && Math.min(...out) >= -32768);
  assert.ok(out.some((v) => v === 32767), 'clipped at the top');
  assert.throws(() => mix.play('x', new ToneSource(400), { gainDb: 99 }), (e: unknown) => e instanceof MediaSessionError && e.code === 'MEDIA_SESSION_CONFIG');
  assert.throws(() => mix.play('x', new ToneSource(400), { gainDb: Number.NaN }), MediaSessionError);
  mix.close();
  mix.close();
  assert.equal(mix.active, false);
});

test('a new rate rebuilds the track readers', () => {
  const { mix } = mixer();
  mix.play('t', new ToneSource(600, { sampleRate: 8000 }), { loop: 0 });
  mix.setFormat(16000, 320);
  const out = new Int16Array(320 * 10);
  const frame = new Int16Array(320);
  for (let i = 0; i < 10; i++) {
    frame.fill(0);
    assert.ok(mix.mix(frame));
    out.set(frame, i * 320);
  }
  assert.equal(dominantFrequency(out, 16000), 600);
});
