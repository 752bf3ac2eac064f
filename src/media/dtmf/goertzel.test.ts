import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DetectedDigitEnd } from './index.ts';
import { DTMF_DIGITS, createDtmfDetector, generateDtmf, goertzelPower } from './index.ts';
import { mix, rms, sine, whiteNoise } from '../../../test/support/signals.ts';

function detect(x: Int16Array, frame = 160, sampleRate = 8000): { digits: string; ends: DetectedDigitEnd[] } {
  let digits = '';
  const ends: DetectedDigitEnd[] = [];
  const d = createDtmfDetector({ sampleRate, onDigit: (e) => (digits += e.digit), onDigitEnd: (e) => ends.push(e) });
  for (let i = 0; i < x.length; i += frame) d.process(x.subarray(i, i + frame));
  d.flush();
  return { digits, ends };
}

/** `signal` plus white noise `snrDb` below the signal's power. */
function withNoise(signal: Int16Array, snrDb: number, seed: number, measureTo = signal.length): Int16Array {
  const noiseRms = rms(signal, 0, measureTo) / 10 ** (snrDb / 20);
  return mix(signal, whiteNoise(signal.length, noiseRms, seed));
}

describe('goertzelPower', () => {
  it('measures N^2 A^2 / 4 for a sine at the probed frequency', () => {
    const x = sine(1000, 8000, 800, 1000);
    const p = goertzelPower(x, 1000, 8000);
    assert.ok(Math.abs(p / ((800 * 800 * 1000 * 1000) / 4) - 1) < 0.01);
    assert.ok(goertzelPower(x, 1633, 8000) < p / 1e4);
  });
});

describe('in-band DTMF detector', () => {
  for (const level of [-3, -10, -20, -25]) {
    it(`detects all 16 digits at ${level} dBm0 per tone with white noise at 20 dB SNR`, () => {
      for (const digit of DTMF_DIGITS) {
        const tone = generateDtmf(digit, { levelDbm0: level, toneMs: 60, gapMs: 60 });
        const noisy = withNoise(tone, 20, digit.charCodeAt(0) * 31 + level, 480);
        assert.equal(detect(noisy).digits, digit, `digit ${digit}`);
      }
    });
  }

  it('detects a sequence of 40 ms tones with 40 ms gaps (Q.24 timing)', () => {
    assert.equal(detect(generateDtmf('123A456B789C*0#D', { toneMs: 40, gapMs: 40 })).digits, '123A456B789C*0#D');
  });

  it('detects two equal digits separated by 50 ms as two digits', () => {
    assert.equal(detect(generateDtmf('55', { toneMs: 70, gapMs: 50 })).digits, '55');
  });

  it('reports a 2 s tone as one digit with its duration', () => {
    const { digits, ends } = detect(generateDtmf('7', { toneMs: 2000, gapMs: 100 }));
    assert.equal(digits, '7');
    assert.equal(ends.length, 1);
    assert.ok(Math.abs(ends[0]!.durationMs - 2000) < 26, `${ends[0]!.durationMs} ms`);
    assert.ok(ends[0]!.atSample < 102);
  });

  it('tolerates twist of 6 dB either way, refuses 12 dB', () => {
    assert.equal(detect(generateDtmf('9', { twistDb: -6, toneMs: 80 })).digits, '9');
    assert.equal(detect(generateDtmf('9', { twistDb: 6, toneMs: 80 })).digits, '9');
    assert.equal(detect(generateDtmf('9', { twistDb: -12, toneMs: 80 })).digits, '');
    assert.equal(detect(generateDtmf('9', { twistDb: 12, toneMs: 80 })).digits, '');
  });

  it('works on any frame length and at 16 kHz', () => {
    const x = generateDtmf('0#', { toneMs: 60, gapMs: 60 });
    for (const frame of [1, 37, 102, 320, 8000]) assert.equal(detect(x, frame).digits, '0#', `frame ${frame}`);
    assert.equal(detect(generateDtmf('*8', { sampleRate: 16000 }), 320, 16000).digits, '*8');
  });

  const rejects: [name: string, signal: Int16Array][] = [
    ['a 1 kHz tone', sine(1000, 8000, 8000, 10000)],
    ['a single DTMF frequency (697 Hz)', sine(697, 8000, 8000, 10000)],
    ['white noise', whiteNoise(16000, 3000, 1)],
    ['a 20 ms DTMF burst', generateDtmf('1', { toneMs: 20, gapMs: 100 })],
    ['a tone below -36 dBm0', generateDtmf('1', { levelDbm0: -45, toneMs: 200 })],
    ['a voiced sound with harmonics at 699 and 1631 Hz', harmonics(233, 20, 16000)],
    ['a gliding voiced sound', glide(16000)],
    ['a digit drowned in noise (0 dB SNR)', withNoise(generateDtmf('5', { toneMs: 200, gapMs: 0 }), 0, 5)],
  ];
  for (const [name, signal] of rejects) {
    it(`rejects ${name}`, () => assert.equal(detect(signal).digits, ''));
  }

  it('reset() drops partial state', () => {
    let digits = '';
    const d = createDtmfDetector({ onDigit: (e) => (digits += e.digit) });
    const x = generateDtmf('4', { toneMs: 100, gapMs: 0 });
    d.process(x.subarray(0, 150));
    d.reset();
    d.process(new Int16Array(800));
    assert.equal(digits, '');
    d.process(x);
    d.flush();
    assert.equal(digits, '4');
  });

  it('refuses rates below 8 kHz', () => {
    assert.throws(() => createDtmfDetector({ onDigit: () => {}, sampleRate: 4000 }), { code: 'MEDIA_DTMF_OPTIONS' });
  });
});

/** A steady voiced sound: `count` harmonics of `f0` with 1/k amplitudes. */
function harmonics(f0: number, count: number, n: number): Int16Array {
  const x = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let k = 1; k <= count && f0 * k < 4000; k++) v += (6000 / k) * Math.sin((2 * Math.PI * f0 * k * i) / 8000);
    x[i] = Math.max(-32768, Math.min(32767, Math.round(v)));
  }
  return x;
}

/** A voiced sound whose pitch glides 120 -> 300 Hz, crossing DTMF-like harmonic pairs. */
function glide(n: number): Int16Array {
  const x = new Int16Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const f0 = 120 + (180 * i) / n;
    phase += (2 * Math.PI * f0) / 8000;
    let v = 0;
    for (let k = 1; k <= 12; k++) v += (5000 / k) * Math.sin(k * phase);
    x[i] = Math.max(-32768, Math.min(32767, Math.round(v)));
  }
  return x;
}
