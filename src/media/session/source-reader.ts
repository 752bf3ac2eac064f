/**
 * Reads an AudioSource in whole frames at the session's rate: resamples when the source runs at another
 * rate (a 16 kHz prompt into an 8 kHz call, a 44.1 kHz file) and regroups the resampler's uneven output
 * through a FIFO, so every tick gets exactly one frame. Short reads (a stream still buffering) leave the
 * rest of the frame silent. Nothing is allocated per frame.
 */
import { createResampler, type Resampler } from '../resample/index.ts';
import { errorMessage } from '../../lib/index.ts';
import type { AudioSource } from '../sources/index.ts';
import { PcmFifo } from './pcm-fifo.ts';
import { MediaSessionError } from './session-error.ts';

/** Reads per tick at most this many times (a source that returns a little at a time). */
const MAX_READS = 4;

export class SourceReader {
  readonly source: AudioSource;
  readonly rate: number;
  readonly #resampler: Resampler | undefined;
  readonly #in: Int16Array;
  readonly #resampled: Int16Array;
  readonly #fifo: PcmFifo;

  /** Throws MEDIA_SESSION_FORMAT when the source's rate cannot be converted to `rate`. */
  constructor(source: AudioSource, rate: number, frameSamples: number) {
    this.source = source;
    this.rate = rate;
    const srcRate = source.sampleRate;
    if (srcRate !== rate) {
      try {
        this.#resampler = createResampler(srcRate, rate);
      } catch (err) {
        throw new MediaSessionError('MEDIA_SESSION_FORMAT', `cannot play a ${srcRate} Hz source at ${rate} Hz: ${errorMessage(err)}`, { cause: err });
      }
    }
    this.#in = new Int16Array(Math.ceil((frameSamples * srcRate) / rate));
    this.#resampled = new Int16Array(this.#resampler ? this.#resampler.maxOutput(this.#in.length) : 0);
    this.#fifo = new PcmFifo(frameSamples * 2 + this.#resampled.length + this.#in.length);
  }

  /** True when the source ended and everything read from it was handed out. */
  get ended(): boolean {
    return this.source.ended && this.#fifo.length === 0;
  }

  /** Fills `out`; returns the samples that came from the source (the rest is zeros). */
  read(out: Int16Array): number {
    const fifo = this.#fifo;
    const need = out.length;
    if (!this.#resampler && fifo.length === 0 && need === this.#in.length) {
      // Same rate, nothing buffered: straight into the frame (the common case).
      const n = this.source.read(out);
      if (n >= need || !(n > 0)) {
        if (!(n > 0)) out.fill(0);
        return n > 0 ? need : 0;
      }
      fifo.push(out, n);
    }
    for (let reads = 0; fifo.length < need && reads < MAX_READS; reads++) {
      const n = this.source.read(this.#in);
      if (!(n > 0)) break;
      const got = Math.min(n, this.#in.length);
      if (this.#resampler) {
        const m = this.#resampler.process(got === this.#in.length ? this.#in : this.#in.subarray(0, got), this.#resampled);
        fifo.push(this.#resampled, m);
      } else {
        fifo.push(this.#in, got);
      }
    }
    const n = fifo.read(out, need);
    if (n < need) out.fill(0, n);
    return n;
  }

  /** Forgets buffered audio (after a seek). */
  reset(): void {
    this.#fifo.clear();
    this.#resampler?.reset();
  }
}
