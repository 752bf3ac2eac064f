/**
 * Random-access mono PCM for players: decoded samples in memory (MP3, TTS), or encoded sample frames
 * decoded on demand (WAV and raw G.711 / linear files, so a file costs its size once, not twice).
 */
import { PcmDecoder } from './pcm-decode.ts';
import type { PcmLayout } from './wav-format.ts';

export interface PcmStore {
  /** Rate of the stored samples. */
  readonly sampleRate: number;
  /** Samples stored so far. */
  readonly length: number;
  /** True when no more samples will come. */
  readonly complete: boolean;
  /** Set when the producer failed; the store is then complete. */
  readonly error?: Error;
  /** Copies up to `count` samples from `pos` into `out[offset..]`; returns how many. */
  read(pos: number, out: Int16Array, offset: number, count: number): number;
}

/** Samples already decoded into one Int16Array. */
export class Int16Store implements PcmStore {
  readonly sampleRate: number;
  readonly complete = true;
  readonly #samples: Int16Array;

  constructor(samples: Int16Array, sampleRate: number) {
    this.#samples = samples;
    this.sampleRate = sampleRate;
  }

  get length(): number {
    return this.#samples.length;
  }

  read(pos: number, out: Int16Array, offset: number, count: number): number {
    const n = Math.max(0, Math.min(count, this.#samples.length - pos));
    if (n > 0) out.set(this.#samples.subarray(pos, pos + n), offset);
    return n;
  }
}

/** Encoded frames (any PcmLayout) in a byte buffer, decoded and downmixed as they are read. */
export class EncodedStore implements PcmStore {
  readonly sampleRate: number;
  readonly length: number;
  readonly complete = true;
  readonly #decoder: PcmDecoder;

  /** `data` holds whole frames only (its length is a multiple of the block size). */
  constructor(layout: PcmLayout, data: Uint8Array) {
    this.sampleRate = layout.sampleRate;
    this.length = Math.floor(data.length / layout.blockAlign);
    this.#decoder = new PcmDecoder(layout, data);
  }

  read(pos: number, out: Int16Array, offset: number, count: number): number {
    const n = Math.max(0, Math.min(count, this.length - pos));
    if (n > 0) this.#decoder.decode(pos, out, offset, n);
    return n;
  }
}
