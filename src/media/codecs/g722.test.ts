import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createCodec } from './index.ts';
import { QMF_COEFFS } from './g722-band.ts';
import { rms, seededRandom, sine, sineFit } from '../../../test/support/signals.ts';

const RATE = 16000;

function roundTrip(x: Int16Array, frame = 320): Int16Array {
  const c = createCodec('G722');
  const payload = new Uint8Array(frame / 2);
  const out = new Int16Array(x.length);
  for (let i = 0; i + frame <= x.length; i += frame) {
    assert.equal(c.encode(x.subarray(i, i + frame), payload), frame / 2);
    assert.equal(c.decode(payload, out.subarray(i, i + frame)), frame);
  }
  return out;
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('G.722 codec', () => {
  it('has the RFC 3551 clock-rate quirk: 16 kHz PCM, 8000 Hz timestamps, PT 9', () => {
    const c = createCodec('g722');
    assert.equal(c.name, 'G722');
    assert.equal(c.payloadType, 9);
    assert.equal(c.sampleRate, 16000);
    assert.equal(c.clockRate, 8000);
    assert.equal(c.samplesPerFrame, 320);
    assert.equal(c.timestampIncrement, 160);
    assert.equal(c.maxPayloadBytes, 160);
  });

  const tones: [freq: number, amplitude: number, minSnrDb: number][] = [
    [1000, 10000, 30],
    [1000, 1000, 30],
    [300, 16000, 30],
    [3000, 300, 25],
    [6000, 8000, 20],
  ];
  for (const [freq, amp, minSnr] of tones) {
    it(`${freq} Hz at ${amp} keeps frequency and level (SNR > ${minSnr} dB)`, () => {
      const out = roundTrip(sine(freq, RATE, RATE, amp));
      // Skip the codec delay (QMF 23 samples) and the ADPCM adaptation.
      const fit = sineFit(out, freq, RATE, 1600, RATE);
      assert.ok(fit.snrDb > minSnr, `SNR ${fit.snrDb.toFixed(1)} dB`);
      assert.ok(Math.abs(20 * Math.log10(fit.amplitude / amp)) < 0.5, `amplitude ${fit.amplitude}`);
    });
  }

  it('encodes digital silence starting with 0xFA and decodes it to near silence', () => {
    const c = createCodec('G722');
    const payload = new Uint8Array(160);
    const out = new Int16Array(320);
    for (let f = 0; f < 50; f++) {
      c.encode(new Int16Array(320), payload);
      if (f === 0) assert.deepEqual(Array.from(payload.subarray(0, 4)), [0xfa, 0xfa, 0xfa, 0xfa]);
      c.decode(payload, out);
      assert.ok(
        out.every((s) => Math.abs(s) <= 4),
        `frame ${f}`,
      );
    }
  });

  it('is stateful across frames: 20 ms frames equal one-shot, 10 ms frames too', () => {
    const rnd = seededRandom(3);
    const x = Int16Array.from({ length: 6400 }, () => Math.floor(rnd() * 20000) - 10000);
    const oneShot = new Uint8Array(3200);
    createCodec('G722').encode(x, oneShot);
    for (const frame of [320, 160]) {
      const c = createCodec('G722');
      const framed = new Uint8Array(3200);
      for (let i = 0; i < x.length; i += frame) c.encode(x.subarray(i, i + frame), framed.subarray(i / 2));
      assert.deepEqual(framed, oneShot);
    }
  });

  it('reset() returns to the initial state', () => {
    const c = createCodec('G722');
    const x = sine(440, RATE, 320, 9000);
    const a = new Uint8Array(160);
    const b = new Uint8Array(160);
    c.encode(x, a);
    c.encode(sine(2000, RATE, 320, 20000), b);
    c.reset();
    c.encode(x, b);
    assert.deepEqual(b, a);
  });

  it('matches regression vectors (encoder output verified bit-exact against published G.722 vectors)', () => {
    const rnd = seededRandom(722);
    const x = Int16Array.from({ length: 16000 }, (_, i) => ((i * 37) % 400) * 60 - 12000 + Math.floor(rnd() * 2000) - 1000);
    const g = new Uint8Array(8000);
    createCodec('G722').encode(x, g);
    assert.equal(Buffer.from(g.subarray(0, 24)).toString('hex'), '2c842084218404963bae290d933eb728be0c5c3daf290c98');
    assert.equal(sha256(g), 'dabce089cbad11cc90667157b569fad2b8c76bac8b297891c33e38a62c7dffaf');
    const d = new Int16Array(16000);
    createCodec('G722').decode(g, d);
    assert.deepEqual(Array.from(d.subarray(40, 52)), [4454, 8668, 9279, 3947, -4395, -9824, -8671, -4584, -1127, -307, 1007, 3419]);
    assert.equal(sha256(new Uint8Array(d.buffer)), '5c4c625c9f7cd3e7c4c52dc669d30bc67d236c717a66d6508a4b69b487c1e77a');
  });

  it('rejects odd sample counts, small buffers and foreign options', () => {
    const c = createCodec('G722');
    assert.throws(() => c.encode(new Int16Array(319), new Uint8Array(160)), { code: 'MEDIA_CODEC_FRAME' });
    assert.throws(() => c.encode(new Int16Array(320), new Uint8Array(100)), { code: 'MEDIA_CODEC_BUFFER' });
    assert.throws(() => c.decode(new Uint8Array(160), new Int16Array(319)), { code: 'MEDIA_CODEC_BUFFER' });
    assert.throws(() => createCodec('G722', { sampleRate: 8000 }), { code: 'MEDIA_CODEC_OPTIONS' });
    assert.equal(rms(new Int16Array(0)), 0);
  });
});

describe('G.722 QMF coefficients', () => {
  it('are symmetric and sum to 2^13 (unit gain, as the unrolled filters assume)', () => {
    assert.equal(QMF_COEFFS.length, 24);
    for (let i = 0; i < 12; i++) assert.equal(QMF_COEFFS[i], QMF_COEFFS[23 - i]);
    assert.equal(QMF_COEFFS.reduce((a, b) => a + b, 0), 8192);
  });
});
