/**
 * Streaming sample-rate converter for mono 16-bit PCM: rational L/M polyphase FIR (Crochiere & Rabiner,
 * "Multirate Digital Signal Processing", section 4.3) with a Kaiser-windowed sinc low-pass that is the
 * anti-aliasing filter when decimating and the anti-imaging filter when interpolating (fir-design.ts).
 *
 * The filter history and the output phase carry over between calls, so a stream cut into 20 ms frames
 * (or any other lengths) produces exactly the samples of one-shot processing: no clicks at frame
 * boundaries. process() allocates nothing; buffers are sized once at construction.
 */
import type { PolyphaseFilter, ResamplerQuality } from './fir-design.ts';
import { polyphaseFilter, rateRatio } from './fir-design.ts';
import { ResampleError } from './resample-error.ts';

export interface ResamplerOptions {
  /** Filter quality: stopband 45 / 65 / 90 dB, passband to 75 / 80 / 90 % of the lower Nyquist. */
  quality?: ResamplerQuality;
  /** Input samples handled per internal block (larger inputs are processed in blocks); default 960. */
  blockSize?: number;
}

/** Largest number of polyphase branches accepted (44100 <-> 48000 needs 160). */
const MAX_PHASES = 480;

export class Resampler {
  readonly inputRate: number;
  readonly outputRate: number;
  /** Group delay of the filter in output samples. */
  readonly delay: number;
  readonly #filter: PolyphaseFilter | null;
  /** History (taps - 1 samples) followed by the current block. */
  readonly #buf: Float64Array;
  readonly #block: number;
  /** Input index (relative to the current block) and phase of the next output sample. */
  #index = 0;
  #phase = 0;

  constructor(inputRate: number, outputRate: number, opts: ResamplerOptions = {}) {
    for (const rate of [inputRate, outputRate]) {
      if (!Number.isInteger(rate) || rate < 1000 || rate > 192000) {
        throw new ResampleError('MEDIA_RESAMPLE_RATE', `unsupported sample rate ${rate}`);
      }
    }
    const { up } = rateRatio(inputRate, outputRate);
    if (up > MAX_PHASES) {
      throw new ResampleError('MEDIA_RESAMPLE_RATE', `${inputRate} -> ${outputRate} Hz needs ${up} filter phases`);
    }
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    this.#block = Math.max(1, Math.floor(opts.blockSize ?? 960));
    if (inputRate === outputRate) {
      this.#filter = null;
      this.#buf = new Float64Array(0);
      this.delay = 0;
    } else {
      this.#filter = polyphaseFilter(inputRate, outputRate, opts.quality ?? 'medium');
      this.#buf = new Float64Array(this.#filter.taps - 1 + this.#block);
      this.delay = this.#filter.delay;
    }
  }

  /** An upper bound of the samples process() writes for `inputLength` input samples. */
  maxOutput(inputLength: number): number {
    const f = this.#filter;
    if (!f) return inputLength;
    return Math.ceil((inputLength * f.up) / f.down) + 1;
  }

  /** The exact number of samples the next process() call writes for `inputLength` input samples. */
  outputLength(inputLength: number): number {
    const f = this.#filter;
    if (!f) return inputLength;
    const span = (inputLength - this.#index) * f.up - this.#phase;
    return span > 0 ? Math.ceil(span / f.down) : 0;
  }

  /** Converts `input` and writes the result to `output`; returns the samples written. */
  process(input: Int16Array, output: Int16Array): number {
    const n = input.length;
    const f = this.#filter;
    if (!f) {
      if (output.length < n) this.#tooSmall(n, output.length);
      output.set(input);
      return n;
    }
    const expected = this.outputLength(n);
    if (output.length < expected) this.#tooSmall(expected, output.length);

    const buf = this.#buf;
    const coeffs = f.coefficients;
    const taps = f.taps;
    const up = f.up;
    const down = f.down;
    const history = taps - 1;
    let written = 0;
    for (let start = 0; start < n; start += this.#block) {
      const len = Math.min(this.#block, n - start);
      for (let t = 0; t < len; t++) buf[history + t] = input[start + t]!;
      let index = this.#index;
      let phase = this.#phase;
      if (up === 1 && index < len) {
        written = this.#decimate(buf, index, len, output, written);
        index += Math.ceil((len - index) / down) * down;
      }
      while (index < len) {
        // Window of `taps` inputs ending at `index`: buf[index .. index + taps).
        const c0 = phase * taps;
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        let k = 0;
        for (; k + 3 < taps; k += 4) {
          a0 += coeffs[c0 + k]! * buf[index + k]!;
          a1 += coeffs[c0 + k + 1]! * buf[index + k + 1]!;
          a2 += coeffs[c0 + k + 2]! * buf[index + k + 2]!;
          a3 += coeffs[c0 + k + 3]! * buf[index + k + 3]!;
        }
        for (; k < taps; k++) a0 += coeffs[c0 + k]! * buf[index + k]!;
        const y = Math.round(a0 + a1 + a2 + a3);
        output[written++] = y > 32767 ? 32767 : y < -32768 ? -32768 : y;
        phase += down;
        while (phase >= up) {
          phase -= up;
          index++;
        }
      }
      this.#index = index - len;
      this.#phase = phase;
      buf.copyWithin(0, len, len + history);
    }
    return written;
  }

  /**
   * Integer decimation (one phase): the linear-phase filter is symmetric, so each output folds the
   * window and needs half the multiplications. Writes outputs for index, index + down, ... < len.
   */
  #decimate(buf: Float64Array, index: number, len: number, output: Int16Array, written: number): number {
    const f = this.#filter!;
    const coeffs = f.coefficients;
    const taps = f.taps;
    const half = taps >> 1;
    const odd = taps & 1;
    for (let i = index; i < len; i += f.down) {
      let a0 = 0;
      let a1 = 0;
      let k = 0;
      let m = i + taps - 1;
      for (; k + 1 < half; k += 2, m -= 2) {
        a0 += coeffs[k]! * (buf[i + k]! + buf[m]!);
        a1 += coeffs[k + 1]! * (buf[i + k + 1]! + buf[m - 1]!);
      }
      for (; k < half; k++, m--) a0 += coeffs[k]! * (buf[i + k]! + buf[m]!);
      if (odd) a0 += coeffs[half]! * buf[i + half]!;
      const y = Math.round(a0 + a1);
      output[written++] = y > 32767 ? 32767 : y < -32768 ? -32768 : y;
    }
    return written;
  }

  /** Forgets the history, as if the stream started again. */
  reset(): void {
    this.#buf.fill(0);
    this.#index = 0;
    this.#phase = 0;
  }

  #tooSmall(need: number, have: number): never {
    throw new ResampleError('MEDIA_RESAMPLE_BUFFER', `resampler output needs ${need} samples, buffer has ${have}`);
  }
}

/** A resampler from `inputRate` to `outputRate` (both in Hz, mono). */
export function createResampler(inputRate: number, outputRate: number, opts?: ResamplerOptions): Resampler {
  return new Resampler(inputRate, outputRate, opts);
}
