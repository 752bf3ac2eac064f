import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DBM0_PEAK, dbm0ToAmplitude, dtmfToneGenerator, generateDtmf, toneGenerator } from './index.ts';
import { rms, sineFit } from '../../../test/support/signals.ts';

describe('tone generator', () => {
  it('puts 0 dBm0 at 3.17 dB below full scale', () => {
    assert.ok(Math.abs(DBM0_PEAK - 22748) < 1);
    assert.ok(Math.abs(dbm0ToAmplitude(-20) - DBM0_PEAK / 10) < 1e-9);
  });

  it('keeps phase across frames: framed output equals one-shot output', () => {
    const oneShot = new Int16Array(1000);
    toneGenerator({ frequencies: [350, 440], levelDbm0: -13 }).fill(oneShot);
    const g = toneGenerator({ frequencies: [350, 440], levelDbm0: -13 });
    const framed = new Int16Array(1000);
    for (let i = 0; i < 1000; i += 160) g.fill(framed, i, Math.min(160, 1000 - i));
    assert.deepEqual(framed, oneShot);
  });

  it('plays the requested frequencies at the requested level', () => {
    const out = new Int16Array(8000);
    toneGenerator({ frequencies: [425], levelDbm0: -10 }).fill(out);
    const fit = sineFit(out, 425, 8000);
    assert.ok(Math.abs(fit.amplitude - dbm0ToAmplitude(-10)) < 2);
    assert.ok(fit.snrDb > 60);
  });

  it('follows an on/off cadence and a total duration (E.180 ringback 1 s on, 4 s off)', () => {
    const g = toneGenerator({ frequencies: [425], onMs: 1000, offMs: 4000, durationMs: 6000 });
    const out = new Int16Array(60000).fill(1);
    assert.equal(g.fill(out), 48000);
    assert.ok(g.done);
    assert.ok(rms(out, 0, 8000) > 1000);
    assert.equal(rms(out, 8000, 40000), 0);
    assert.ok(rms(out, 40000, 48000) > 1000);
    assert.equal(out[48000], 1);
    assert.equal(g.fill(out), 0);
    g.reset();
    assert.equal(g.done, false);
  });

  it('generates a DTMF pair and a digit sequence', () => {
    const out = new Int16Array(800);
    dtmfToneGenerator('5').fill(out);
    assert.ok(sineFit(out, 770, 8000).amplitude > 6000);
    assert.ok(sineFit(out, 1336, 8000).amplitude > 6000);
    const seq = generateDtmf('1#', { toneMs: 50, gapMs: 30 });
    assert.equal(seq.length, 1280);
    assert.equal(rms(seq, 400, 640), 0);
    assert.throws(() => generateDtmf('1x'), { code: 'MEDIA_DTMF_EVENT' });
  });

  it('refuses frequencies above Nyquist and bad timings', () => {
    assert.throws(() => toneGenerator({ frequencies: [4000] }), { code: 'MEDIA_DTMF_OPTIONS' });
    assert.throws(() => toneGenerator({ frequencies: [400], onMs: -1 }), { code: 'MEDIA_DTMF_OPTIONS' });
  });
});
