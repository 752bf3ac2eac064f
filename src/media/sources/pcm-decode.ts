/**
 * Decoding of interleaved WAV / raw sample data to mono 16-bit PCM: unsigned 8-bit and signed 16/24/32-bit
 * little-endian PCM, 32/64-bit IEEE float, and G.711 A-law / mu-law (ITU-T G.711, through the codec
 * tables). Several channels are averaged (downmix). Works on any slice of the data, so a player decodes
 * one frame at a time and allocates nothing.
 */
import { ALAW_DECODE_TABLE, ULAW_DECODE_TABLE } from '../codecs/index.ts';
import type { PcmLayout } from './wav-format.ts';

function clip(x: number): number {
  const r = Math.round(x);
  return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
}

/** Reads sample `ch` of a frame at byte `at` as a 16-bit value (before downmix). */
type SampleReader = (view: DataView, at: number) => number;

function readerFor(layout: PcmLayout): SampleReader {
  switch (layout.encoding) {
    case 'alaw':
      return (v, at) => ALAW_DECODE_TABLE[v.getUint8(at)]!;
    case 'ulaw':
      return (v, at) => ULAW_DECODE_TABLE[v.getUint8(at)]!;
    case 'float':
      return layout.bitsPerSample === 64
        ? (v, at) => clip(v.getFloat64(at, true) * 32768)
        : (v, at) => clip(v.getFloat32(at, true) * 32768);
    case 'pcm':
      switch (layout.bitsPerSample) {
        case 8:
          return (v, at) => (v.getUint8(at) - 128) << 8;
        case 16:
          return (v, at) => v.getInt16(at, true);
        case 24:
          // The top two bytes as a signed 16-bit value, rounded by the third (truncation would bias -0.5 LSB).
          return (v, at) => clip(((v.getInt8(at + 2) << 16) | (v.getUint8(at + 1) << 8) | v.getUint8(at)) / 256);
        default:
          return (v, at) => clip(v.getInt32(at, true) / 65536);
      }
  }
}

/** A decoder of frames of one layout from one byte buffer. */
export class PcmDecoder {
  readonly layout: PcmLayout;
  readonly #view: DataView;
  readonly #read: SampleReader;
  readonly #bytes: number;

  constructor(layout: PcmLayout, data: Uint8Array) {
    this.layout = layout;
    this.#view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.#read = readerFor(layout);
    this.#bytes = layout.bitsPerSample >> 3;
  }

  /** Decodes `count` frames starting at frame `from` (relative to the data start) into `out[offset..]`. */
  decode(from: number, out: Int16Array, offset: number, count: number): void {
    const view = this.#view;
    const read = this.#read;
    const channels = this.layout.channels;
    const block = this.layout.blockAlign;
    let at = from * block;
    if (channels === 1) {
      for (let i = 0; i < count; i++, at += block) out[offset + i] = read(view, at);
      return;
    }
    const step = this.#bytes;
    for (let i = 0; i < count; i++, at += block) {
      let sum = 0;
      for (let c = 0, p = at; c < channels; c++, p += step) sum += read(view, p);
      out[offset + i] = clip(sum / channels);
    }
  }
}
