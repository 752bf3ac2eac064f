import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamGaps } from './stream-gaps.ts';

const FRAME = 320; // 20 ms of 8 kHz 16-bit mono
const options = { fromMs: 1000, toMs: 2000, bytesPerMs: 16, gapMs: 60, toleranceMs: 40 };

/** Frames every `every` ms from `start` to `end` (exclusive), skipping the times in `skip`. */
function feed(g: StreamGaps, id: string, start: number, end: number, every = 20, skip: number[] = []): void {
  for (let t = start; t < end; t += every) if (!skip.includes(t)) g.frame(id, t, FRAME);
}

describe('StreamGaps', () => {
  test('steady streams: no gap, no missing audio, inter-arrival 20 ms', () => {
    const g = new StreamGaps(options);
    for (const id of ['a', 'b']) {
      g.open(id, 0);
      feed(g, id, 5, 2100);
    }
    const r = g.report();
    assert.equal(r.complete, 2);
    assert.equal(r.streams, 2);
    assert.equal(r.gaps, 0);
    assert.equal(r.missingAudioMs, 0);
    assert.equal(r.streamsShort, 0);
    assert.equal(r.interArrivalMs.p50, 20);
    assert.equal(r.interArrivalMs.p99, 20);
    assert.equal(r.receivedMs.min, 1000);
  });

  test('a stream missing 5 frames: one gap, 100 ms short, 60 ms beyond the tolerance', () => {
    const g = new StreamGaps(options);
    g.open('a', 0);
    feed(g, 'a', 5, 2100, 20, [1205, 1225, 1245, 1265, 1285]);
    const r = g.report();
    assert.equal(r.gaps, 1);
    assert.equal(r.streamsWithGaps, 1);
    assert.equal(r.interArrivalMs.max, 120);
    assert.equal(r.receivedMs.min, 900);
    assert.equal(r.missingAudioMs, 60); // 100 ms short, 40 ms tolerated
    assert.equal(r.streamsShort, 1);
  });

  test('late frames that all arrive are a gap but no missing audio', () => {
    const g = new StreamGaps(options);
    g.open('a', 0);
    for (let t = 5; t < 2100; t += 20) g.frame('a', t >= 1505 && t < 1605 ? 1605 : t, FRAME);
    const r = g.report();
    assert.equal(r.gaps, 1);
    assert.equal(r.missingAudioMs, 0);
  });

  test('a stream that stalls before the window ends has a trailing gap and missing audio', () => {
    const g = new StreamGaps(options);
    g.open('a', 0);
    feed(g, 'a', 5, 1500);
    const r = g.report();
    assert.equal(r.gaps, 1);
    assert.ok(r.missingAudioMs > 400);
  });

  test('streams opened late or closed early are not complete and count no missing audio', () => {
    const g = new StreamGaps(options);
    g.open('late', 1500);
    feed(g, 'late', 1505, 2100);
    g.open('early', 0);
    feed(g, 'early', 5, 1300);
    g.close('early', 1300);
    const r = g.report();
    assert.equal(r.complete, 0);
    assert.equal(r.streams, 2);
    assert.equal(r.missingAudioMs, 0);
  });

  test('no frames at all: percentiles are NaN, a complete stream is all missing', () => {
    const g = new StreamGaps(options);
    g.open('a', 0);
    const r = g.report();
    assert.ok(Number.isNaN(r.interArrivalMs.p99));
    assert.equal(r.missingAudioMs, 960);
    assert.equal(r.gaps, 1);
  });

  test('an empty or inverted window is refused', () => {
    assert.throws(() => new StreamGaps({ ...options, toMs: options.fromMs }), RangeError);
    assert.throws(() => new StreamGaps({ ...options, gapMs: 0 }), RangeError);
  });
});
