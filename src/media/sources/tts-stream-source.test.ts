import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sine, sineFit } from '../../../test/support/signals.ts';
import { SourceError, TtsStreamSource } from './index.ts';

function readAll(src: TtsStreamSource, limit = 10_000): Int16Array {
  const f = new Int16Array(src.sampleRate / 50);
  const out: number[] = [];
  for (let i = 0; i < limit; i++) {
    const n = src.read(f);
    if (n === 0) break;
    for (let k = 0; k < n; k++) out.push(f[k]!);
  }
  return Int16Array.from(out);
}

describe('TtsStreamSource', () => {
  it('plays silence until audio arrives, then the audio, then ends after end()', () => {
    const src = new TtsStreamSource({ sampleRate: 8000 });
    const f = new Int16Array(160).fill(3);
    assert.equal(src.read(f), 160);
    assert.ok(f.every((v) => v === 0));
    const x = Int16Array.from({ length: 400 }, (_, i) => i + 1);
    src.push(x.subarray(0, 250), 8000);
    src.push(x.subarray(250), 8000);
    assert.equal(src.read(f), 160);
    assert.equal(f[0], 1);
    assert.equal(src.read(f), 160);
    assert.equal(f[0], 161);
    // 80 left: not a whole frame and not finished -> silence, the samples wait.
    assert.equal(src.read(f), 160);
    assert.ok(f.every((v) => v === 0));
    src.end();
    assert.equal(src.read(f), 80);
    assert.equal(f[0], 321);
    assert.equal(src.read(f), 0);
    assert.equal(src.ended, true);
    assert.equal(src.positionMs, 50);
  });

  for (const [inRate, outRate] of [
    [16000, 8000],
    [24000, 8000],
    [22050, 16000],
    [8000, 48000],
    [11025, 16000],
  ] as const) {
    it(`resamples pushed ${inRate} Hz chunks to ${outRate} Hz with the exact length and no delay`, () => {
      const src = new TtsStreamSource({ sampleRate: outRate });
      // 50 ms of silence then 450 ms of 1 kHz, pushed in uneven chunks.
      const x = new Int16Array(Math.floor(inRate / 2));
      x.set(sine(1000, inRate, Math.floor((inRate * 9) / 20), 8000), Math.floor(inRate / 20));
      for (let at = 0; at < x.length; ) {
        const n = Math.min(x.length - at, 317 + (at % 500));
        src.push(x.subarray(at, at + n), inRate);
        at += n;
      }
      src.end();
      const y = readAll(src);
      assert.equal(y.length, Math.round((x.length * outRate) / inRate));
      const onset = y.findIndex((v) => Math.abs(v) > 2500);
      assert.ok(Math.abs(onset - outRate / 20) <= outRate / 4000 + 1, `onset ${onset}`);
      const fit = sineFit(y, 1000, outRate, outRate / 20 + 50, y.length - 50);
      assert.ok(Math.abs(fit.amplitude - 8000) < 250, `amplitude ${fit.amplitude}`);
    });
  }

  it('prebufferMs holds playback until enough audio is there', () => {
    const src = new TtsStreamSource({ sampleRate: 8000, prebufferMs: 100 });
    const f = new Int16Array(160);
    src.push(new Int16Array(400).fill(5), 8000);
    src.read(f);
    assert.equal(f[0], 0);
    src.push(new Int16Array(400).fill(5), 8000);
    src.read(f);
    assert.equal(f[0], 5);
    assert.equal(src.bufferedMs, 80);
  });

  it('fail() ends it with a MEDIA_SOURCE_TTS error', () => {
    const src = new TtsStreamSource({ sampleRate: 8000 });
    src.push(new Int16Array(800).fill(1), 8000);
    src.fail(new Error('provider 500'));
    assert.equal(src.read(new Int16Array(160)), 0);
    assert.ok(src.error instanceof SourceError);
    assert.equal((src.error as SourceError).code, 'MEDIA_SOURCE_TTS');
    assert.match(src.error!.message, /provider 500/);
  });

  it('end() with nothing pushed ends at once; push after end or close is ignored', () => {
    const src = new TtsStreamSource({ sampleRate: 16000 });
    src.end();
    src.push(new Int16Array(320), 16000);
    assert.equal(src.read(new Int16Array(320)), 0);
    const other = new TtsStreamSource({ sampleRate: 16000 });
    other.close();
    other.push(new Int16Array(320), 16000);
    assert.equal(other.read(new Int16Array(320)), 0);
  });

  it('copies pushed chunks (the provider may reuse its buffer)', () => {
    const src = new TtsStreamSource({ sampleRate: 8000 });
    const chunk = new Int16Array(160).fill(9);
    src.push(chunk, 8000);
    chunk.fill(0);
    const f = new Int16Array(160);
    src.read(f);
    assert.equal(f[0], 9);
  });
});
