import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AudioSink } from './audio-sink.ts';
import { LimitedSink, type SinkLimit } from './limited-sink.ts';

function counting(): AudioSink & { frames: number } {
  return { sampleRate: 8000, frames: 0, write() { this.frames++; }, close: async () => {} };
}

const loud = new Int16Array(160).fill(3000);
const quiet = new Int16Array(160);

test('stops at max duration once, and writes nothing after', () => {
  const inner = counting();
  const hits: SinkLimit[] = [];
  const sink = new LimitedSink(inner, { maxDurationMs: 100 }, (l) => hits.push(l));
  for (let i = 0; i < 10; i++) sink.write(loud);
  assert.deepEqual(hits, ['max-duration']);
  assert.equal(inner.frames, 5);
  assert.equal(sink.durationMs, 100);
  assert.equal(sink.limit, 'max-duration');
});

test('silence counts only after something was heard', () => {
  const hits: SinkLimit[] = [];
  const sink = new LimitedSink(counting(), { silenceTimeoutMs: 200 }, (l) => hits.push(l));
  for (let i = 0; i < 50; i++) sink.write(quiet);
  assert.deepEqual(hits, []);
  sink.write(loud);
  for (let i = 0; i < 9; i++) sink.write(quiet);
  assert.deepEqual(hits, []);
  sink.write(quiet);
  assert.deepEqual(hits, ['silence']);
});

test('a loud frame resets the silence count; stereo counts one channel', () => {
  const hits: SinkLimit[] = [];
  const sink = new LimitedSink(counting(), { silenceTimeoutMs: 100, maxDurationMs: 1000 }, (l) => hits.push(l));
  for (let i = 0; i < 20; i++) {
    sink.write(i % 4 === 0 ? loud : quiet, 0);
    sink.write(quiet, 1);
  }
  assert.deepEqual(hits, []);
  assert.equal(sink.durationMs, 400);
});
