import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createCodec, l16StaticPayloadType } from './index.ts';

describe('L16 codec', () => {
  it('writes samples in network byte order (RFC 3551 section 4.5.11)', () => {
    const c = createCodec('L16');
    const out = new Uint8Array(8);
    assert.equal(c.encode(Int16Array.from([1, -2, 0x1234, -32768]), out), 8);
    assert.deepEqual(Array.from(out), [0x00, 0x01, 0xff, 0xfe, 0x12, 0x34, 0x80, 0x00]);
    const back = new Int16Array(4);
    assert.equal(c.decode(out, back), 4);
    assert.deepEqual(Array.from(back), [1, -2, 0x1234, -32768]);
  });

  it('ignores a trailing odd octet', () => {
    const back = new Int16Array(4);
    assert.equal(createCodec('L16').decode(Uint8Array.from([0x7f, 0xff, 0x01]), back), 1);
    assert.equal(back[0], 32767);
  });

  const rates: [rate: number, channels: number, pt: number, frame: number][] = [
    [8000, 1, 96, 160],
    [16000, 1, 96, 320],
    [48000, 1, 96, 960],
    [44100, 1, 11, 882],
    [44100, 2, 10, 882],
  ];
  for (const [rate, channels, pt, frame] of rates) {
    it(`${rate} Hz x${channels}: PT ${pt}, ${frame} samples per 20 ms, clock = sample rate`, () => {
      const c = createCodec('L16', { sampleRate: rate, channels });
      assert.equal(c.payloadType, pt);
      assert.equal(c.clockRate, rate);
      assert.equal(c.samplesPerFrame, frame);
      assert.equal(c.timestampIncrement, frame);
      assert.equal(c.maxPayloadBytes, frame * channels * 2);
      const pcm = Int16Array.from({ length: frame * channels }, (_, i) => (i * 331) % 65536);
      const payload = new Uint8Array(c.maxPayloadBytes);
      const back = new Int16Array(frame * channels);
      c.decode(payload.subarray(0, c.encode(pcm, payload)), back);
      assert.deepEqual(back, pcm);
    });
  }

  it('knows the static payload types of RFC 3551 table 4', () => {
    assert.equal(l16StaticPayloadType(44100, 2), 10);
    assert.equal(l16StaticPayloadType(44100, 1), 11);
    assert.equal(l16StaticPayloadType(16000, 1), undefined);
  });

  it('rejects unsupported rates and channel counts', () => {
    assert.throws(() => createCodec('L16', { sampleRate: 11025 }), { code: 'MEDIA_CODEC_OPTIONS' });
    assert.throws(() => createCodec('L16', { channels: 3 }), { code: 'MEDIA_CODEC_OPTIONS' });
    assert.throws(() => createCodec('L16').encode(new Int16Array(160), new Uint8Array(319)), {
      code: 'MEDIA_CODEC_BUFFER',
    });
  });
});
