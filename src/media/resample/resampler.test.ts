import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Resampler, createResampler, designPolyphase } from './index.ts';
import { mix, seededRandom, sine, sineFit, whiteNoise } from '../../../test/support/signals.ts';

function run(r: Resampler, x: Int16Array): Int16Array {
  const out = new Int16Array(r.maxOutput(x.length));
  return out.subarray(0, r.process(x, out));
}

/** Level change in dB of a `freq` tone of amplitude `amp` through `y` (skipping the filter delay). */
function toneGainDb(y: Int16Array, freq: number, rate: number, amp: number, skip: number): number {
  const fit = sineFit(y, freq, rate, skip, y.length);
  return 20 * Math.log10(fit.amplitude / amp);
}

describe('resampler', () => {
  const pairs: [from: number, to: number][] = [
    [8000, 16000],
    [16000, 8000],
    [48000, 8000],
    [8000, 48000],
    [16000, 48000],
    [48000, 16000],
    [44100, 8000],
    [44100, 16000],
  ];
  for (const [from, to] of pairs) {
    it(`${from} -> ${to} Hz keeps a 1 kHz sine's frequency and level (within 1 dB)`, () => {
      const r = createResampler(from, to);
      const y = run(r, sine(1000, from, from, 10000));
      assert.equal(y.length, to);
      const skip = Math.ceil(r.delay) + 10;
      const fit = sineFit(y, 1000, to, skip, y.length);
      assert.ok(Math.abs(20 * Math.log10(fit.amplitude / 10000)) < 1, `gain off: ${fit.amplitude}`);
      assert.ok(fit.snrDb > 50, `SNR ${fit.snrDb.toFixed(1)} dB`);
    });
  }

  it('8 -> 16 -> 8 kHz keeps a 1 kHz sine within 1 dB', () => {
    const up = createResampler(8000, 16000);
    const down = createResampler(16000, 8000);
    const y = run(down, run(up, sine(1000, 8000, 8000, 12000)));
    assert.equal(y.length, 8000);
    assert.ok(Math.abs(toneGainDb(y, 1000, 8000, 12000, 200)) < 1);
    assert.ok(sineFit(y, 1000, 8000, 200, 8000).snrDb > 50);
  });

  const aliases: [from: number, to: number, tone: number, alias: number][] = [
    [48000, 8000, 6000, 2000],
    [16000, 8000, 6000, 2000],
    [48000, 16000, 12000, 4000],
    [44100, 8000, 6000, 2000],
  ];
  for (const [from, to, tone, alias] of aliases) {
    it(`${from} -> ${to} Hz attenuates a ${tone} Hz tone's alias at ${alias} Hz by > 40 dB`, () => {
      const r = createResampler(from, to);
      const y = run(r, sine(tone, from, from, 10000));
      assert.ok(toneGainDb(y, alias, to, 10000, 200) < -40);
    });
  }

  it('suppresses images when interpolating 8 -> 48 kHz', () => {
    const r = createResampler(8000, 48000);
    const y = run(r, sine(1000, 8000, 8000, 10000));
    // Images of 1 kHz at 8 kHz sampling sit at 7, 9, 15, 17 kHz.
    for (const image of [7000, 9000, 15000, 17000]) assert.ok(toneGainDb(y, image, 48000, 10000, 500) < -40);
  });

  const framings: [from: number, to: number, frame: number][] = [
    [8000, 16000, 160],
    [48000, 8000, 960],
    [44100, 8000, 882],
    [44100, 16000, 37],
    [16000, 48000, 1],
    [48000, 8000, 1],
    [16000, 8000, 7],
    [8000, 48000, 2000],
  ];
  for (const [from, to, frame] of framings) {
    it(`${from} -> ${to} Hz: ${frame}-sample frames give exactly the one-shot output`, () => {
      const x = mix(sine(700, from, from / 2, 9000), whiteNoise(from / 2, 1500, 11));
      const oneShot = run(createResampler(from, to, { blockSize: 4096 }), x);
      const r = createResampler(from, to);
      const out = new Int16Array(oneShot.length);
      const scratch = new Int16Array(r.maxOutput(frame));
      let at = 0;
      for (let i = 0; i < x.length; i += frame) {
        const chunk = x.subarray(i, Math.min(x.length, i + frame));
        const expected = r.outputLength(chunk.length);
        const n = r.process(chunk, scratch);
        assert.equal(n, expected);
        out.set(scratch.subarray(0, n), at);
        at += n;
      }
      assert.equal(at, oneShot.length);
      assert.deepEqual(out, oneShot);
    });
  }

  it('keeps a constant input constant (no ripple between phases)', () => {
    const r = createResampler(44100, 16000);
    const y = run(r, new Int16Array(44100).fill(5000));
    for (let i = 100; i < y.length; i++) assert.ok(Math.abs(y[i]! - 5000) <= 1, `${i}: ${y[i]}`);
  });

  it('passes through when the rates are equal', () => {
    const r = createResampler(16000, 16000);
    const x = whiteNoise(320, 3000, 5);
    assert.deepEqual(run(r, x), x);
    assert.equal(r.delay, 0);
  });

  it('reset() forgets the history', () => {
    const rnd = seededRandom(9);
    const x = Int16Array.from({ length: 480 }, () => Math.floor(rnd() * 30000) - 15000);
    const r = createResampler(48000, 16000);
    const first = Int16Array.from(run(r, x));
    run(r, x);
    r.reset();
    assert.deepEqual(run(r, x), first);
  });

  it('rejects undersized outputs without consuming input', () => {
    const r = createResampler(8000, 16000);
    const x = sine(500, 8000, 160, 1000);
    assert.throws(() => r.process(x, new Int16Array(100)), { code: 'MEDIA_RESAMPLE_BUFFER' });
    assert.equal(r.outputLength(160), 320);
  });

  it('rejects unusable rates', () => {
    for (const [a, b] of [
      [0, 8000],
      [8000, 7999.5],
      [44101, 48000],
    ] as const) {
      assert.throws(() => createResampler(a, b), { code: 'MEDIA_RESAMPLE_RATE' });
    }
  });

  it('designs unit-DC-gain phases whatever the quality', () => {
    for (const quality of ['low', 'medium', 'high'] as const) {
      const f = designPolyphase(8000, 48000, quality);
      assert.equal(f.up, 6);
      assert.equal(f.down, 1);
      for (let p = 0; p < f.up; p++) {
        let sum = 0;
        for (let k = 0; k < f.taps; k++) sum += f.coefficients[p * f.taps + k]!;
        assert.ok(Math.abs(sum - 1) < 1e-9);
      }
    }
  });
});
