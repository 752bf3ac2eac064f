import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ALAW_DECODE_TABLE,
  ALAW_ENCODE_TABLE,
  ULAW_DECODE_TABLE,
  ULAW_ENCODE_TABLE,
  alawCompress,
  alawExpand,
  ulawCompress,
  ulawExpand,
} from './index.ts';
import { CodecError, createCodec } from './index.ts';

const enc = (table: Uint8Array, x: number): number => table[x & 0xffff]!;

describe('G.711 mu-law (PCMU)', () => {
  const encodings: [number, number][] = [
    [0, 0xff],
    [1, 0xff],
    [-1, 0x7f],
    [3, 0xff],
    [4, 0xfe],
    [8, 0xfe],
    [-4, 0x7f],
    [-5, 0x7e],
    [-9, 0x7e],
    [32767, 0x80],
    [-32767, 0x00],
    [-32768, 0x00],
    [32124, 0x80],
    [1000, 0xce],
    [-1000, 0x4e],
  ];
  for (const [x, code] of encodings) {
    it(`encodes ${x} as 0x${code.toString(16)}`, () => {
      assert.equal(enc(ULAW_ENCODE_TABLE, x), code);
      assert.equal(ulawCompress(x), code);
    });
  }

  const decodings: [number, number][] = [
    [0xff, 0],
    [0x7f, 0],
    [0xfe, 8],
    [0x7e, -8],
    [0x80, 32124], // G.711 mu-law: last segment output 8031 in 14-bit units
    [0x00, -32124],
    [0xf0, 120], // segment 0, step 15 -> 30 in 14-bit units
    [0xef, 132], // segment 1 starts at 33 in 14-bit units
  ];
  for (const [code, x] of decodings) {
    it(`decodes 0x${code.toString(16)} as ${x}`, () => {
      assert.equal(ULAW_DECODE_TABLE[code], x);
      assert.equal(ulawExpand(code), x);
    });
  }

  it('round-trips every code: decode(encode(decode(b))) == decode(b)', () => {
    for (let b = 0; b < 256; b++) {
      const v = ULAW_DECODE_TABLE[b]!;
      assert.equal(ULAW_DECODE_TABLE[enc(ULAW_ENCODE_TABLE, v)], v, `code ${b}`);
      // Only negative zero (0x7f) is not reproduced: zero encodes as positive zero (0xff).
      assert.equal(enc(ULAW_ENCODE_TABLE, v), b === 0x7f ? 0xff : b);
    }
  });

  it('is monotonic and odd-symmetric over the whole 16-bit range', () => {
    let prev = -Infinity;
    for (let x = -32768; x <= 32767; x++) {
      const y = ULAW_DECODE_TABLE[enc(ULAW_ENCODE_TABLE, x)]!;
      assert.ok(y >= prev, `not monotonic at ${x}`);
      prev = y;
      if (x >= 0) assert.equal(ULAW_DECODE_TABLE[enc(ULAW_ENCODE_TABLE, -x - 1)], -y | 0);
    }
  });

  it('keeps the quantization error within half a step', () => {
    for (let x = -32124; x <= 32124; x += 7) {
      const y = ULAW_DECODE_TABLE[enc(ULAW_ENCODE_TABLE, x)]!;
      const step = Math.max(8, 2 ** Math.floor(Math.log2(Math.abs(x) + 132)) / 16);
      assert.ok(Math.abs(y - x) <= step, `x=${x} y=${y}`);
    }
  });
});

describe('G.711 A-law (PCMA)', () => {
  const encodings: [number, number][] = [
    [0, 0xd5],
    [1, 0xd5],
    [-1, 0x55],
    [16, 0xd4],
    [-17, 0x54],
    [32767, 0xaa],
    [-32767, 0x2a],
    [-32768, 0x2a],
    [1000, 0xfa],
    [-1000, 0x7a],
  ];
  for (const [x, code] of encodings) {
    it(`encodes ${x} as 0x${code.toString(16)}`, () => {
      assert.equal(enc(ALAW_ENCODE_TABLE, x), code);
      assert.equal(alawCompress(x), code);
    });
  }

  const decodings: [number, number][] = [
    [0xd5, 8],
    [0x55, -8],
    [0xaa, 32256], // G.711 A-law: last interval output 4032 in 13-bit units
    [0x2a, -32256],
    [0xd4, 24],
    [0xc5, 264], // segment 2 starts at 256 (13-bit 32), step 16
  ];
  for (const [code, x] of decodings) {
    it(`decodes 0x${code.toString(16)} as ${x}`, () => {
      assert.equal(ALAW_DECODE_TABLE[code], x);
      assert.equal(alawExpand(code), x);
    });
  }

  it('round-trips every code exactly', () => {
    for (let b = 0; b < 256; b++) {
      const v = ALAW_DECODE_TABLE[b]!;
      assert.equal(enc(ALAW_ENCODE_TABLE, v), b, `code ${b}`);
      assert.equal(ALAW_DECODE_TABLE[enc(ALAW_ENCODE_TABLE, v)], v);
    }
  });

  it('is monotonic and odd-symmetric over the whole 16-bit range', () => {
    let prev = -Infinity;
    for (let x = -32768; x <= 32767; x++) {
      const y = ALAW_DECODE_TABLE[enc(ALAW_ENCODE_TABLE, x)]!;
      assert.ok(y >= prev, `not monotonic at ${x}`);
      prev = y;
      if (x >= 0) assert.equal(ALAW_DECODE_TABLE[enc(ALAW_ENCODE_TABLE, -x - 1)], -y | 0);
    }
  });
});

describe('G711 codec instances', () => {
  for (const [name, pt] of [
    ['PCMU', 0],
    ['PCMA', 8],
  ] as const) {
    it(`${name}: 20 ms is 160 samples, 160 octets, 160 timestamp units`, () => {
      const c = createCodec(name);
      assert.equal(c.payloadType, pt);
      assert.equal(c.clockRate, 8000);
      assert.equal(c.sampleRate, 8000);
      assert.equal(c.samplesPerFrame, 160);
      assert.equal(c.timestampIncrement, 160);
      assert.equal(c.maxPayloadBytes, 160);
      assert.equal(c.frameSize(30), 240);
    });

    it(`${name}: encode then decode a frame through caller buffers`, () => {
      const c = createCodec(name);
      const pcm = Int16Array.from({ length: 160 }, (_, i) => Math.round(8000 * Math.sin(i / 5)));
      const payload = new Uint8Array(200);
      const back = new Int16Array(200);
      assert.equal(c.encode(pcm, payload), 160);
      assert.equal(c.decode(payload.subarray(0, 160), back), 160);
      for (let i = 0; i < 160; i++) assert.ok(Math.abs(back[i]! - pcm[i]!) <= 256, `sample ${i}`);
    });

    it(`${name}: undersized buffers are MEDIA_CODEC_BUFFER`, () => {
      const c = createCodec(name);
      assert.throws(() => c.encode(new Int16Array(160), new Uint8Array(159)), { code: 'MEDIA_CODEC_BUFFER' });
      assert.throws(() => c.decode(new Uint8Array(160), new Int16Array(10)), CodecError);
    });

    it(`${name}: rejects other rates, channels, bad ptime and payload types`, () => {
      for (const opts of [{ sampleRate: 16000 }, { channels: 2 }, { ptime: 0 }, { ptime: 0.3 }, { payloadType: 128 }]) {
        assert.throws(() => createCodec(name, opts), { code: 'MEDIA_CODEC_OPTIONS' });
      }
    });
  }
});
