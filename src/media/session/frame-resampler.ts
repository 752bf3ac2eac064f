/**
 * Converts fixed frames at one rate into fixed frames at another (a bridge between an 8 kHz and a 16 kHz
 * leg, a leg into a conference at the room's rate): the polyphase resampler's output is regrouped
 * through a FIFO primed with a few samples, so each call yields exactly one output frame even when the
 * rate ratio does not divide the frame evenly.
 */
import { createResampler, type Resampler } from '../resample/index.ts';
import { errorMessage } from '../../lib/index.ts';
import { PcmFifo } from './pcm-fifo.ts';
import { MediaSessionError } from './session-error.ts';

const PRIME = 4;

export class FrameResampler {
  readonly from: number;
  readonly to: number;
  readonly #resampler: Resampler | undefined;
  readonly #tmp: Int16Array;
  readonly #fifo: PcmFifo | undefined;

  /** Throws MEDIA_SESSION_FORMAT when the rates cannot be converted. */
  constructor(from: number, to: number, inFrame: number, outFrame: number) {
    this.from = from;
    this.to = to;
    if (from !== to) {
      try {
        this.#resampler = createResampler(from, to);
      } catch (err) {
        throw new MediaSessionError('MEDIA_SESSION_FORMAT', `cannot convert ${from} Hz to ${to} Hz: ${errorMessage(err)}`, { cause: err });
      }
      this.#tmp = new Int16Array(this.#resampler.maxOutput(inFrame));
      this.#fifo = new PcmFifo(outFrame * 2 + this.#tmp.length + PRIME);
      this.#fifo.pushSilence(PRIME);
    } else {
      this.#tmp = new Int16Array(0);
    }
  }

  /** One input frame in, one output frame (`out.length` samples) out. */
  convert(input: Int16Array, out: Int16Array): void {
    const r = this.#resampler;
    if (!r) {
      if (input.length === out.length) out.set(input);
      else {
        const n = Math.min(input.length, out.length);
        for (let i = 0; i < n; i++) out[i] = input[i]!;
        if (n < out.length) out.fill(0, n);
      }
      return;
    }
    const fifo = this.#fifo!;
    fifo.push(this.#tmp, r.process(input, this.#tmp));
    const n = fifo.read(out);
    if (n < out.length) out.fill(0, n);
  }

  /** Forgets history (after a pause in the input). */
  reset(): void {
    if (!this.#resampler) return;
    this.#resampler.reset();
    this.#fifo!.clear();
    this.#fifo!.pushSilence(PRIME);
  }
}
