import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createCodec, findCodec, isOpusAvailable, loadOpus } from './index.ts';
import { sine, sineFit } from '../../../test/support/signals.ts';

// opusscript is a dependency: the codec must be available.
const available = isOpusAvailable();

function roundTrip(rate: number, frames: number, freq: number, amp: number): Int16Array {
  const c = createCodec('opus', { sampleRate: rate });
  const n = c.samplesPerFrame;
  const x = sine(freq, rate, n * frames, amp);
  const packet = new Uint8Array(c.maxPayloadBytes);
  const out = new Int16Array(n * frames);
  const frame = new Int16Array(n);
  for (let f = 0; f < frames; f++) {
    frame.set(x.subarray(f * n, (f + 1) * n));
    const bytes = c.encode(frame, packet);
    assert.ok(bytes > 0 && bytes < 400, `packet of ${bytes} bytes`);
    assert.equal(c.decode(packet.subarray(0, bytes), out.subarray(f * n)), n);
  }
  c.close();
  return out;
}

describe('Opus codec (opusscript)', () => {
  it('is registered as opus/48000/2 with a 48 kHz RTP clock', () => {
    const d = findCodec('OPUS');
    assert.equal(d?.name, 'opus');
    assert.equal(d?.clockRate, 48000);
    assert.equal(d?.rtpmapChannels, 2);
    assert.equal(d?.available(), available);
  });

  it('loadOpus() agrees with isOpusAvailable(), and both say it is available', async () => {
    assert.equal(available, true);
    assert.equal(await loadOpus(), available);
  });

  for (const rate of [48000, 16000]) {
    it(`round-trips 20 ms frames of a 1 kHz sine at ${rate} Hz`, () => {
      const out = roundTrip(rate, 50, 1000, 10000);
      const fit = sineFit(out, 1000, rate, rate / 2, rate);
      assert.ok(fit.snrDb > 10, `SNR ${fit.snrDb.toFixed(1)} dB`);
      assert.ok(Math.abs(20 * Math.log10(fit.amplitude / 10000)) < 2, `amplitude ${fit.amplitude}`);
    });
  }

  it('has 48 kHz timestamps whatever the PCM rate', () => {
    const c = createCodec('opus', { sampleRate: 16000, ptime: 40 });
    assert.equal(c.samplesPerFrame, 640);
    assert.equal(c.timestampIncrement, 1920);
    assert.equal(c.payloadType, 111);
    c.close();
  });

  it('rejects frames that are not an Opus frame size, and use after close', () => {
    const c = createCodec('opus');
    assert.throws(() => c.encode(new Int16Array(1000), new Uint8Array(4000)), { code: 'MEDIA_CODEC_FRAME' });
    c.close();
    c.close();
    assert.throws(() => c.encode(new Int16Array(960), new Uint8Array(4000)), { code: 'MEDIA_CODEC_CLOSED' });
  });

  it('rejects unusable options', () => {
    for (const opts of [{ sampleRate: 44100 }, { channels: 3 }, { ptime: 30 }, { bitrate: 100 }, { complexity: 11 }]) {
      assert.throws(() => createCodec('opus', opts), { code: 'MEDIA_CODEC_OPTIONS' });
    }
  });

  it('applies fmtp maxaveragebitrate', () => {
    const low = createCodec('opus', { fmtp: { maxaveragebitrate: '12000' } });
    const high = createCodec('opus', { fmtp: { maxaveragebitrate: '64000' } });
    const x = sine(700, 48000, 960, 8000);
    const out = new Uint8Array(4000);
    let lowBytes = 0;
    let highBytes = 0;
    for (let f = 0; f < 20; f++) {
      lowBytes += low.encode(x, out);
      highBytes += high.encode(x, out);
    }
    assert.ok(lowBytes < highBytes, `${lowBytes} vs ${highBytes}`);
    low.close();
    high.close();
  });
});
