/**
 * A sink with the stop conditions of a recording (FreeSWITCH record's time limit and silence hits,
 * jambonz maxLength): it passes frames on to the sink it wraps and, once, reports the first limit
 * reached: `max-duration` after maxDurationMs of audio, `silence` after silenceTimeoutMs of frames whose
 * mean absolute level stays under the threshold once something louder was heard. Counting is per frame
 * of the first channel written (stereo recordings write two channels per tick), so it works in any
 * thread that owns the sink and needs no timer.
 */
import type { AudioSink, SinkChannel } from './audio-sink.ts';

export type SinkLimit = 'max-duration' | 'silence';

export interface SinkLimits {
  maxDurationMs?: number;
  silenceTimeoutMs?: number;
  /** Mean absolute sample level under which a frame is silence (default 200). */
  silenceThreshold?: number;
}

export class LimitedSink implements AudioSink {
  readonly sampleRate: number;
  readonly #inner: AudioSink;
  readonly #limits: SinkLimits;
  readonly #onLimit: (limit: SinkLimit) => void;
  #samples = 0;
  #heard = false;
  #quietSamples = 0;
  #limit: SinkLimit | undefined;
  #firstChannel: SinkChannel | undefined | null = null;

  constructor(inner: AudioSink, limits: SinkLimits, onLimit: (limit: SinkLimit) => void) {
    this.#inner = inner;
    this.sampleRate = inner.sampleRate;
    this.#limits = limits;
    this.#onLimit = onLimit;
  }

  /** The first limit reached, if any. */
  get limit(): SinkLimit | undefined {
    return this.#limit;
  }

  /** Audio written so far (one channel's worth). */
  get samples(): number {
    return this.#samples;
  }

  get durationMs(): number {
    return Math.round((this.#samples * 1000) / this.sampleRate);
  }

  write(frame: Int16Array, channel?: SinkChannel): void {
    if (this.#limit !== undefined) return;
    this.#inner.write(frame, channel);
    if (this.#firstChannel === null) this.#firstChannel = channel;
    if (channel !== this.#firstChannel) return;
    this.#samples += frame.length;
    const l = this.#limits;
    if (l.silenceTimeoutMs !== undefined) {
      let sum = 0;
      for (let i = 0; i < frame.length; i++) sum += Math.abs(frame[i]!);
      if (frame.length > 0 && sum / frame.length > (l.silenceThreshold ?? 200)) {
        this.#heard = true;
        this.#quietSamples = 0;
      } else if (this.#heard) {
        this.#quietSamples += frame.length;
        if ((this.#quietSamples * 1000) / this.sampleRate >= l.silenceTimeoutMs) return this.#reach('silence');
      }
    }
    if (l.maxDurationMs !== undefined && (this.#samples * 1000) / this.sampleRate >= l.maxDurationMs) this.#reach('max-duration');
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  #reach(limit: SinkLimit): void {
    this.#limit = limit;
    this.#onLimit(limit);
  }
}
