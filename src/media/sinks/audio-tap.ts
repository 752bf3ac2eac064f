/**
 * A tap: hands the audio of a call to a callback as it flows (jambonz listen / stream audio over a
 * WebSocket, speech recognizers, FreeSWITCH media bugs). The two directions arrive as separate frames
 * (channel 0 = caller, 1 = callee); the tap takes one of them, mixes them, or interleaves them as
 * stereo (left = 0), optionally resamples to the consumer's rate (media/resample) and optionally
 * re-chunks into fixed-length frames (e.g. 100 ms WebSocket messages).
 *
 * Delivery is synchronous inside write(); a callback that throws is counted and reported through
 * onError, never propagated into the media tick. Each delivered frame is a fresh copy the consumer may
 * keep, unless `reuseBuffer` is set (then it is valid only during the call).
 */
import type { Resampler } from '../resample/index.ts';
import { createResampler } from '../resample/index.ts';
import type { AudioSink, SinkChannel } from './audio-sink.ts';
import { checkSinkRate } from './audio-sink.ts';
import { ChannelPairer, mixSaturate } from './channel-pairer.ts';
import { SinkError } from './sink-error.ts';

/** left / right: only channel 0 / 1; mix: both summed; stereo: interleaved left, right. */
export type TapMode = 'left' | 'right' | 'mix' | 'stereo';

export interface TapFrameInfo {
  channels: 1 | 2;
  sampleRate: number;
}

export interface AudioTapOptions {
  /** Rate of the frames written to the tap. */
  sampleRate: number;
  /** Rate delivered to the callback; the input rate unless given. */
  outputRate?: number;
  /** Which audio is delivered; 'mix' unless given. */
  mode?: TapMode;
  /** Deliver frames of exactly this many ms (per channel); as they come unless given. */
  frameMs?: number;
  onFrame: (frame: Int16Array, info: TapFrameInfo) => void;
  onError?: (err: unknown) => void;
  /** Deliver a view of an internal buffer instead of a copy. */
  reuseBuffer?: boolean;
  /** How far one direction may run ahead of the other before it is paired with silence; 200 ms unless given. */
  maxSkewMs?: number;
}

const MODES: readonly TapMode[] = ['left', 'right', 'mix', 'stereo'];

export class AudioTap implements AudioSink {
  readonly sampleRate: number;
  readonly outputRate: number;
  readonly mode: TapMode;
  readonly #info: TapFrameInfo;
  readonly #onFrame: (frame: Int16Array, info: TapFrameInfo) => void;
  readonly #onError: ((err: unknown) => void) | undefined;
  readonly #reuse: boolean;
  readonly #pairer: ChannelPairer | null;
  readonly #rs: [Resampler, Resampler] | null;
  /** Samples per channel per delivered frame; 0 = deliver as produced. */
  readonly #chunk: number;
  #mix = new Int16Array(0);
  #rsOut: [Int16Array, Int16Array] = [new Int16Array(0), new Int16Array(0)];
  /** Delivery accumulator (interleaved when stereo) and its fill in samples. */
  #acc: Int16Array;
  #fill = 0;
  #paused = false;
  #closed = false;
  #listenerErrors = 0;
  #delivered = 0;

  constructor(opts: AudioTapOptions) {
    this.sampleRate = checkSinkRate(opts.sampleRate);
    this.outputRate = checkSinkRate(opts.outputRate ?? opts.sampleRate);
    this.mode = opts.mode ?? 'mix';
    if (!MODES.includes(this.mode)) throw new SinkError('MEDIA_SINK_OPTIONS', `bad tap mode "${this.mode}"`);
    if (opts.frameMs !== undefined && !(opts.frameMs > 0)) {
      throw new SinkError('MEDIA_SINK_OPTIONS', `frameMs must be positive, not ${opts.frameMs}`);
    }
    const channels = this.mode === 'stereo' ? 2 : 1;
    this.#info = { channels, sampleRate: this.outputRate };
    this.#onFrame = opts.onFrame;
    this.#onError = opts.onError;
    this.#reuse = opts.reuseBuffer ?? false;
    this.#chunk = opts.frameMs ? Math.max(1, Math.round((opts.frameMs * this.outputRate) / 1000)) : 0;
    const skew = Math.round(((opts.maxSkewMs ?? 200) * this.sampleRate) / 1000);
    const pairs = this.mode === 'mix' || this.mode === 'stereo';
    this.#pairer = pairs ? new ChannelPairer(skew, (l, lo, r, ro, n) => this.#onPair(l, lo, r, ro, n)) : null;
    this.#rs =
      this.outputRate === this.sampleRate
        ? null
        : [createResampler(this.sampleRate, this.outputRate), createResampler(this.sampleRate, this.outputRate)];
    this.#acc = new Int16Array(Math.max(this.#chunk, 1024) * channels);
  }

  /** Frames handed to the callback so far. */
  get delivered(): number {
    return this.#delivered;
  }

  /** Callback failures so far. */
  get listenerErrors(): number {
    return this.#listenerErrors;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Stops delivering (audio written meanwhile is dropped). */
  pause(): void {
    this.#paused = true;
    this.#pairer?.clear();
  }

  resume(): void {
    this.#paused = false;
  }

  write(frame: Int16Array, channel: SinkChannel = 0): void {
    if (this.#closed || this.#paused) return;
    if (this.#pairer) {
      this.#pairer.push(frame, channel);
      return;
    }
    if ((this.mode === 'left') === (channel === 0)) this.#emit(frame, 0, null, 0, frame.length);
  }

  /** Delivers what is buffered (a last, shorter frame) and stops. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#pairer?.flush();
      this.#closed = true;
      if (this.#fill > 0) this.#deliver(this.#fill);
    }
    return Promise.resolve();
  }

  #onPair(l: Int16Array, lo: number, r: Int16Array, ro: number, n: number): void {
    if (this.mode === 'stereo') {
      this.#emit(l, lo, r, ro, n);
      return;
    }
    if (this.#mix.length < n) this.#mix = new Int16Array(Math.max(n, 1024));
    mixSaturate(l, lo, r, ro, this.#mix, 0, n);
    this.#emit(this.#mix, 0, null, 0, n);
  }

  /** Resamples (when asked) and appends `n` input samples of one or two channels to the accumulator. */
  #emit(a: Int16Array, ao: number, b: Int16Array | null, bo: number, n: number): void {
    let left = a;
    let lo = ao;
    let right = b;
    let ro = bo;
    let m = n;
    if (this.#rs) {
      const need = this.#rs[0].maxOutput(n);
      if (this.#rsOut[0].length < need) this.#rsOut = [new Int16Array(need), new Int16Array(need)];
      m = this.#rs[0].process(a.subarray(ao, ao + n), this.#rsOut[0]);
      left = this.#rsOut[0];
      lo = 0;
      if (b) {
        this.#rs[1].process(b.subarray(bo, bo + n), this.#rsOut[1]);
        right = this.#rsOut[1];
        ro = 0;
      }
    }
    const ch = right ? 2 : 1;
    let i = 0;
    while (i < m) {
      if (this.#chunk === 0 && (m - i) * ch > this.#acc.length - this.#fill) {
        if (this.#fill > 0) this.#deliver(this.#fill);
        if ((m - i) * ch > this.#acc.length) this.#acc = new Int16Array((m - i) * ch);
      }
      const cap = this.#chunk > 0 ? this.#chunk : Math.floor(this.#acc.length / ch);
      const k = Math.min(m - i, cap - this.#fill / ch);
      const acc = this.#acc;
      let at = this.#fill;
      if (right) {
        for (let j = 0; j < k; j++) {
          acc[at++] = left[lo + i + j]!;
          acc[at++] = right[ro + i + j]!;
        }
      } else {
        acc.set(left.subarray(lo + i, lo + i + k), at);
        at += k;
      }
      this.#fill = at;
      i += k;
      if (this.#chunk > 0 && this.#fill >= this.#chunk * ch) this.#deliver(this.#fill);
    }
    if (this.#chunk === 0 && this.#fill > 0) this.#deliver(this.#fill);
  }

  #deliver(samples: number): void {
    const view = this.#acc.subarray(0, samples);
    const frame = this.#reuse ? view : view.slice();
    this.#fill = 0;
    this.#delivered++;
    try {
      this.#onFrame(frame, this.#info);
    } catch (err) {
      this.#listenerErrors++;
      try {
        this.#onError?.(err);
      } catch {
        // Nothing more to do: a listener's failure must not reach the media tick.
      }
    }
  }
}
