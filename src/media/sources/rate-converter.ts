/**
 * Sample-rate conversion for players, on top of the polyphase resampler (media/resample). A rate pair the
 * resampler cannot do in one stage (11025 Hz prompts to 16 or 48 kHz need more filter phases than it
 * allows) is done in two: first up by an integer factor, then to the target rate. Both stages stream, so
 * the chain behaves like one resampler; its delay is the sum of the stages' delays in output samples.
 */
import type { Resampler } from '../resample/index.ts';
import { ResampleError, createResampler } from '../resample/index.ts';

/** The part of Resampler that players use. */
export interface RateConverter {
  readonly inputRate: number;
  readonly outputRate: number;
  /** Group delay in output samples. */
  readonly delay: number;
  maxOutput(inputLength: number): number;
  process(input: Int16Array, output: Int16Array): number;
  reset(): void;
}

class ChainedConverter implements RateConverter {
  readonly inputRate: number;
  readonly outputRate: number;
  readonly delay: number;
  readonly #first: Resampler;
  readonly #second: Resampler;
  #mid = new Int16Array(0);

  constructor(first: Resampler, second: Resampler) {
    this.#first = first;
    this.#second = second;
    this.inputRate = first.inputRate;
    this.outputRate = second.outputRate;
    this.delay = second.delay + (first.delay * second.outputRate) / second.inputRate;
  }

  maxOutput(inputLength: number): number {
    return this.#second.maxOutput(this.#first.maxOutput(inputLength));
  }

  process(input: Int16Array, output: Int16Array): number {
    const need = this.#first.maxOutput(input.length);
    if (this.#mid.length < need) this.#mid = new Int16Array(need);
    const n = this.#first.process(input, this.#mid);
    return this.#second.process(this.#mid.subarray(0, n), output);
  }

  reset(): void {
    this.#first.reset();
    this.#second.reset();
  }
}

/** A converter from `inputRate` to `outputRate`, in one stage when possible, else in two. */
export function createRateConverter(inputRate: number, outputRate: number): RateConverter {
  try {
    return createResampler(inputRate, outputRate);
  } catch (err) {
    if (!(err instanceof ResampleError) || err.code !== 'MEDIA_RESAMPLE_RATE') throw err;
    for (const factor of [2, 3, 4]) {
      try {
        const mid = inputRate * factor;
        return new ChainedConverter(createResampler(inputRate, mid), createResampler(mid, outputRate));
      } catch {
        // Try the next intermediate rate.
      }
    }
    throw err;
  }
}
