import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sineFit } from '../../../test/support/signals.ts';
import { EncodedStore, PcmPlayer, SourceError, loadAudio, parseWav } from './index.ts';
import type { SampleEncoding } from './index.ts';

const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/media');
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));

/** Plays a store to the end at `rate`. */
function playAll(player: PcmPlayer): Int16Array {
  const frame = new Int16Array(player.sampleRate / 50);
  const parts: number[] = [];
  for (let guard = 0; guard < 100_000; guard++) {
    const n = player.read(frame);
    if (n === 0) break;
    for (let i = 0; i < n; i++) parts.push(frame[i]!);
  }
  return Int16Array.from(parts);
}

interface Case {
  file: string;
  encoding: SampleEncoding;
  bits: number;
  channels: number;
  rate: number;
  extensible?: boolean;
  frames: number;
  /** Minimum SNR of the 1 kHz tone after decoding and resampling. */
  snrDb: number;
}

// Every fixture is a 1 kHz sine at half of full scale (sox "vol 0.5"), dithered.
const CASES: Case[] = [
  { file: 'tone1k-8k-s16.wav', encoding: 'pcm', bits: 16, channels: 1, rate: 8000, frames: 2000, snrDb: 50 },
  { file: 'tone1k-16k-s16.wav', encoding: 'pcm', bits: 16, channels: 1, rate: 16000, frames: 4000, snrDb: 50 },
  { file: 'tone1k-22k-u8.wav', encoding: 'pcm', bits: 8, channels: 1, rate: 22050, frames: 4410, snrDb: 30 },
  { file: 'tone1k-44k-s16-stereo.wav', encoding: 'pcm', bits: 16, channels: 2, rate: 44100, frames: 4410, snrDb: 50 },
  { file: 'tone1k-48k-s16.wav', encoding: 'pcm', bits: 16, channels: 1, rate: 48000, frames: 4800, snrDb: 50 },
  { file: 'tone1k-8k-ulaw.wav', encoding: 'ulaw', bits: 8, channels: 1, rate: 8000, frames: 2000, snrDb: 30 },
  { file: 'tone1k-8k-alaw.wav', encoding: 'alaw', bits: 8, channels: 1, rate: 8000, frames: 2000, snrDb: 30 },
  {
    file: 'tone1k-16k-s24-ext.wav',
    encoding: 'pcm',
    bits: 24,
    channels: 1,
    rate: 16000,
    extensible: true,
    frames: 1600,
    snrDb: 50,
  },
  { file: 'tone1k-8k-s16-chunks.wav', encoding: 'pcm', bits: 16, channels: 1, rate: 8000, frames: 800, snrDb: 50 },
];

describe('WAV parsing', () => {
  for (const c of CASES) {
    it(`${c.file}: header fields`, () => {
      const info = parseWav(fixture(c.file));
      assert.equal(info.encoding, c.encoding);
      assert.equal(info.bitsPerSample, c.bits);
      assert.equal(info.channels, c.channels);
      assert.equal(info.sampleRate, c.rate);
      assert.equal(info.extensible, c.extensible ?? false);
      assert.equal(info.frames, c.frames);
      assert.equal(info.truncated, false);
    });
    for (const out of [8000, 16000]) {
      it(`${c.file} -> ${out} Hz: a 1 kHz tone at half scale, length scaled by the rate`, async () => {
        const store = await loadAudio(fixture(c.file), { name: c.file });
        const y = playAll(new PcmPlayer(store, { sampleRate: out }));
        assert.equal(y.length, Math.round((c.frames * out) / c.rate));
        const fit = sineFit(y, 1000, out, 40, y.length - 40);
        assert.ok(fit.snrDb > c.snrDb, `SNR ${fit.snrDb.toFixed(1)} dB`);
        assert.ok(Math.abs(20 * Math.log10(fit.amplitude / 16384)) < 0.5, `amplitude ${fit.amplitude.toFixed(0)}`);
      });
    }
  }

  it('decodes sample values exactly (16-bit PCM and G.711 through the codec tables)', async () => {
    const bytes = fixture('tone1k-8k-s16.wav');
    const info = parseWav(bytes);
    const store = new EncodedStore(info, bytes.subarray(info.dataOffset, info.dataOffset + info.dataLength));
    const out = new Int16Array(4);
    store.read(0, out, 0, 4);
    const view = new DataView(bytes.buffer, bytes.byteOffset + info.dataOffset);
    assert.deepEqual([...out], [0, 2, 4, 6].map((o) => view.getInt16(o, true)));
  });
});

/** A RIFF/WAVE file from chunks ([id, body]), each padded to even length. */
function riff(chunks: [string, Uint8Array][], form = 'WAVE', magic = 'RIFF'): Uint8Array {
  const parts: Buffer[] = [Buffer.from(form, 'latin1')];
  for (const [id, body] of chunks) {
    const h = Buffer.alloc(8);
    h.write(id, 0, 'latin1');
    h.writeUInt32LE(body.length, 4);
    parts.push(h, Buffer.from(body));
    if (body.length & 1) parts.push(Buffer.alloc(1));
  }
  const all = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.write(magic, 0, 'latin1');
  head.writeUInt32LE(all.length, 4);
  return new Uint8Array(Buffer.concat([head, all]));
}

function fmt(tag: number, channels: number, rate: number, bits: number, extra?: Uint8Array): Uint8Array {
  const b = Buffer.alloc(16);
  b.writeUInt16LE(tag, 0);
  b.writeUInt16LE(channels, 2);
  b.writeUInt32LE(rate, 4);
  b.writeUInt32LE((rate * channels * bits) / 8, 8);
  b.writeUInt16LE((channels * bits) / 8, 12);
  b.writeUInt16LE(bits, 14);
  return new Uint8Array(extra ? Buffer.concat([b, extra]) : b);
}

function extensible(subTag: number, tail = [0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]): Uint8Array {
  const b = Buffer.alloc(24);
  b.writeUInt16LE(22, 0);
  b.writeUInt16LE(16, 2);
  b.writeUInt32LE(4, 4);
  b.writeUInt16LE(subTag, 8);
  Buffer.from(tail).copy(b, 12);
  return new Uint8Array(b);
}

const PCM16 = fmt(1, 1, 8000, 16);
const DATA = new Uint8Array([1, 0, 2, 0, 3, 0, 4, 0]);

describe('WAV parsing of unusual and malformed files', () => {
  const ok: [string, Uint8Array, { frames: number; truncated?: boolean; encoding?: SampleEncoding; bits?: number }][] = [
    ['fmt after data', riff([['data', DATA], ['fmt ', PCM16]]), { frames: 4 }],
    ['odd-sized unknown chunk before fmt', riff([['junk', new Uint8Array(3)], ['fmt ', PCM16], ['data', DATA]]), { frames: 4 }],
    [
      'fact and LIST chunks',
      riff([['fmt ', PCM16], ['fact', new Uint8Array(4)], ['LIST', new Uint8Array(9)], ['data', DATA]]),
      { frames: 4 },
    ],
    [
      'data size past the end of the file (clamped)',
      (() => {
        const b = riff([['fmt ', PCM16], ['data', DATA]]);
        new DataView(b.buffer).setUint32(40, 1000, true);
        return b;
      })(),
      { frames: 4, truncated: true },
    ],
    [
      'data size 0xFFFFFFFF from a streaming writer',
      (() => {
        const b = riff([['fmt ', PCM16], ['data', DATA]]);
        new DataView(b.buffer).setUint32(40, 0xffffffff, true);
        return b;
      })(),
      { frames: 4, truncated: true },
    ],
    ['a partial last block is dropped', riff([['fmt ', PCM16], ['data', DATA.subarray(0, 7)]]), { frames: 3 }],
    ['missing final pad byte', riff([['fmt ', PCM16], ['data', DATA.subarray(0, 7)]]).subarray(0, 51), { frames: 3 }],
    ['IEEE float', riff([['fmt ', fmt(3, 1, 8000, 32)], ['data', new Uint8Array(8)]]), { frames: 2, encoding: 'float', bits: 32 }],
    ['32-bit PCM', riff([['fmt ', fmt(1, 1, 8000, 32)], ['data', new Uint8Array(8)]]), { frames: 2, encoding: 'pcm', bits: 32 }],
    [
      'extensible mu-law',
      riff([['fmt ', fmt(0xfffe, 1, 8000, 8, extensible(7))], ['data', DATA]]),
      { frames: 8, encoding: 'ulaw', bits: 8 },
    ],
  ];
  for (const [name, bytes, want] of ok) {
    it(`accepts: ${name}`, () => {
      const info = parseWav(bytes);
      assert.equal(info.frames, want.frames);
      assert.equal(info.truncated, want.truncated ?? false);
      if (want.encoding) assert.equal(info.encoding, want.encoding);
      if (want.bits) assert.equal(info.bitsPerSample, want.bits);
    });
  }

  const whole = riff([['fmt ', PCM16], ['data', DATA]]);
  const bad: [string, Uint8Array, string][] = [
    ['empty file', new Uint8Array(0), 'MEDIA_SOURCE_CORRUPT'],
    ['truncated RIFF header', whole.subarray(0, 10), 'MEDIA_SOURCE_CORRUPT'],
    ['truncated fmt chunk', whole.subarray(0, 30), 'MEDIA_SOURCE_CORRUPT'],
    ['header only, no data chunk', whole.subarray(0, 36), 'MEDIA_SOURCE_CORRUPT'],
    ['no fmt chunk', riff([['data', DATA]]), 'MEDIA_SOURCE_CORRUPT'],
    ['fmt chunk shorter than 16 bytes', riff([['fmt ', PCM16.subarray(0, 14)], ['data', DATA]]), 'MEDIA_SOURCE_CORRUPT'],
    [
      'bogus chunk size',
      (() => {
        const b = riff([['LIST', new Uint8Array(4)], ['fmt ', PCM16], ['data', DATA]]);
        new DataView(b.buffer).setUint32(16, 0x7fffffff, true);
        return b;
      })(),
      'MEDIA_SOURCE_CORRUPT',
    ],
    ['zero channels', riff([['fmt ', fmt(1, 0, 8000, 16)], ['data', DATA]]), 'MEDIA_SOURCE_CORRUPT'],
    ['extensible fmt too short', riff([['fmt ', fmt(0xfffe, 1, 8000, 16)], ['data', DATA]]), 'MEDIA_SOURCE_CORRUPT'],
    ['unknown format tag (IMA ADPCM)', riff([['fmt ', fmt(0x11, 1, 8000, 4)], ['data', DATA]]), 'MEDIA_SOURCE_FORMAT'],
    ['unknown format tag 0x1234', riff([['fmt ', fmt(0x1234, 1, 8000, 16)], ['data', DATA]]), 'MEDIA_SOURCE_FORMAT'],
    ['12-bit PCM', riff([['fmt ', fmt(1, 1, 8000, 12)], ['data', DATA]]), 'MEDIA_SOURCE_FORMAT'],
    ['16-bit mu-law', riff([['fmt ', fmt(7, 1, 8000, 16)], ['data', DATA]]), 'MEDIA_SOURCE_FORMAT'],
    ['sample rate 500 Hz', riff([['fmt ', fmt(1, 1, 500, 16)], ['data', DATA]]), 'MEDIA_SOURCE_FORMAT'],
    [
      'extensible with a foreign GUID',
      riff([['fmt ', fmt(0xfffe, 1, 8000, 16, extensible(1, new Array(12).fill(7)))], ['data', DATA]]),
      'MEDIA_SOURCE_FORMAT',
    ],
    ['big-endian RIFX', riff([['fmt ', PCM16], ['data', DATA]], 'WAVE', 'RIFX'), 'MEDIA_SOURCE_FORMAT'],
    ['RIFF but not WAVE', riff([['fmt ', PCM16], ['data', DATA]], 'AVI '), 'MEDIA_SOURCE_FORMAT'],
    ['text', new TextEncoder().encode('this is not a wav file at all'), 'MEDIA_SOURCE_FORMAT'],
  ];
  for (const [name, bytes, code] of bad) {
    it(`rejects: ${name} -> ${code}`, () => {
      assert.throws(
        () => parseWav(bytes),
        (err: unknown) => err instanceof SourceError && err.code === code,
      );
    });
  }

  it('a .wav name with content that is not RIFF is a format error from loadAudio', async () => {
    await assert.rejects(loadAudio(new TextEncoder().encode('<html>not found</html>'), { name: 'x.wav' }), {
      code: 'MEDIA_SOURCE_FORMAT',
    });
  });

  it('unrecognised content without hints is a format error', async () => {
    await assert.rejects(loadAudio(new Uint8Array([1, 2, 3, 4, 5])), { code: 'MEDIA_SOURCE_FORMAT' });
  });

  it('headerless files by extension (.ulaw, .sln16)', async () => {
    const ulaw = await loadAudio(new Uint8Array([0xff, 0x7f, 0x00, 0x80]), { name: 'a.ulaw' });
    assert.equal(ulaw.sampleRate, 8000);
    assert.equal(ulaw.length, 4);
    const sln = await loadAudio(new Uint8Array([1, 0, 2, 0, 3]), { name: 'b.sln16' });
    assert.equal(sln.sampleRate, 16000);
    const out = new Int16Array(2);
    assert.equal(sln.read(0, out, 0, 5), 2);
    assert.deepEqual([...out], [1, 2]);
  });
});
