import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SilenceSource, parseSilenceSpec } from './index.ts';

function count(src: SilenceSource, limit = 100_000): { frames: number; samples: number; max: number } {
  const f = new Int16Array(src.sampleRate / 50);
  let frames = 0;
  let samples = 0;
  let max = 0;
  for (; frames < limit; frames++) {
    const n = src.read(f);
    if (n === 0) break;
    samples += n;
    for (let i = 0; i < n; i++) max = Math.max(max, Math.abs(f[i]!));
  }
  return { frames, samples, max };
}

describe('silence_stream', () => {
  const lengths: [string, number, number, number][] = [
    ['1000', 8000, 50, 8000],
    ['1000', 16000, 50, 16000],
    ['30', 8000, 2, 240],
    ['0', 8000, 0, 0],
  ];
  for (const [spec, rate, frames, samples] of lengths) {
    it(`silence_stream://${spec} at ${rate} Hz is ${samples} samples of zeros`, () => {
      const r = count(new SilenceSource({ sampleRate: rate, ...parseSilenceSpec(spec) }));
      assert.deepEqual(r, { frames, samples, max: 0 });
    });
  }

  it('-1 and an empty length never end', () => {
    for (const spec of ['-1', '']) {
      const src = new SilenceSource({ sampleRate: 8000, ...parseSilenceSpec(spec) });
      assert.equal(count(src, 5000).frames, 5000);
      assert.equal(src.ended, false);
    }
  });

  it('a divisor gives low-level comfort noise', () => {
    const r = count(new SilenceSource({ sampleRate: 8000, ...parseSilenceSpec('1000,1400') }));
    assert.equal(r.samples, 8000);
    assert.ok(r.max > 0 && r.max <= Math.ceil(32767 / 1400), `max ${r.max}`);
  });

  it('loop multiplies the length; seek and position', () => {
    const src = new SilenceSource({ sampleRate: 8000, durationMs: 100, loop: 3 });
    const f = new Int16Array(160);
    src.read(f);
    src.read(f);
    assert.equal(src.positionMs, 40);
    src.seek(250);
    assert.equal(src.positionMs, 50);
    assert.equal(count(src).samples, 400);
  });

  const bad = ['abc', '-5', '100,x', '1,2,3'];
  for (const spec of bad) {
    it(`rejects "${spec}"`, () => {
      assert.throws(() => parseSilenceSpec(spec), { code: 'MEDIA_SOURCE_SPEC' });
    });
  }
});
