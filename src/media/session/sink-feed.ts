/**
 * One AudioSink fed by a session every tick, at the sink's own rate (resampled per channel), following
 * the sinks' contract (media/sinks): the two directions of a call are two channels written one after
 * the other each tick, channel 0 what the party says (received), channel 1 what it hears (sent), and
 * the sink mixes, picks or interleaves them as it was configured. A feed writes:
 *   'stereo'   both channels (recordings by default, taps of both directions);
 *   'mixed'    both directions mixed here, as channel 0;
 *   'received' / 'sent'   that direction alone, as channel 0.
 * The single-channel feeds write an empty (silent) channel 1 after it, so a sink that pairs the two
 * channels (a mono WavRecorder mixing them, a mixing AudioTap) never waits for one that does not come.
 * Frames handed to the sink are reused after write() returns (sinks copy what they keep).
 */
import { createResampler, type Resampler } from '../resample/index.ts';
import { errorMessage } from '../../lib/index.ts';
import type { AudioSink } from '../sinks/index.ts';
import { MediaSessionError } from './session-error.ts';

/** 'received': what the party says; 'sent': what it hears; 'mixed': both in one channel; 'stereo': both, as channels 0 and 1. */
export type FeedMode = 'received' | 'sent' | 'mixed' | 'stereo';

class Channel {
  readonly #resampler: Resampler | undefined;
  readonly #out: Int16Array;
  #view: Int16Array;
  readonly #zeros: Int16Array;
  #zeroView: Int16Array;

  constructor(from: number, to: number, frameSamples: number) {
    if (from !== to) {
      try {
        this.#resampler = createResampler(from, to);
      } catch (err) {
        throw new MediaSessionError('MEDIA_SESSION_FORMAT', `cannot record ${from} Hz audio into a ${to} Hz sink: ${errorMessage(err)}`, { cause: err });
      }
    }
    this.#out = new Int16Array(this.#resampler ? this.#resampler.maxOutput(frameSamples) : frameSamples);
    this.#view = this.#out;
    this.#zeros = new Int16Array(this.#out.length);
    this.#zeroView = this.#zeros;
  }

  /** A silent frame as long as `frame` (a view reused while the length stays the same). */
  silence(frame: Int16Array): Int16Array {
    if (this.#zeroView.length !== frame.length) this.#zeroView = this.#zeros.subarray(0, Math.min(frame.length, this.#zeros.length));
    return this.#zeroView;
  }

  /** The frame at the sink's rate (a view reused while its length stays the same). */
  convert(frame: Int16Array): Int16Array {
    if (!this.#resampler) return frame;
    const n = this.#resampler.process(frame, this.#out);
    if (this.#view.length !== n) this.#view = this.#out.subarray(0, n);
    return this.#view;
  }
}

export class SinkFeed {
  readonly id: string;
  readonly kind: 'recording' | 'tap';
  readonly mode: FeedMode;
  readonly sink: AudioSink;
  #a: Channel;
  #b: Channel | undefined;
  #mix: Int16Array;

  /** Throws MEDIA_SESSION_FORMAT when the sink's rate cannot be reached from `rate`. */
  constructor(id: string, kind: 'recording' | 'tap', sink: AudioSink, mode: FeedMode, rate: number, frameSamples: number) {
    this.id = id;
    this.kind = kind;
    this.mode = mode;
    this.sink = sink;
    this.#a = new Channel(rate, sink.sampleRate, frameSamples);
    this.#b = mode === 'stereo' ? new Channel(rate, sink.sampleRate, frameSamples) : undefined;
    this.#mix = new Int16Array(mode === 'mixed' ? frameSamples : 0);
  }

  /** A new session rate: the resamplers are rebuilt. */
  setFormat(rate: number, frameSamples: number): void {
    this.#a = new Channel(rate, this.sink.sampleRate, frameSamples);
    this.#b = this.mode === 'stereo' ? new Channel(rate, this.sink.sampleRate, frameSamples) : undefined;
    this.#mix = new Int16Array(this.mode === 'mixed' ? frameSamples : 0);
  }

  /** Writes one tick: `received` and `sent` at the session rate. A throwing sink propagates. */
  write(received: Int16Array, sent: Int16Array): void {
    let frame: Int16Array;
    switch (this.mode) {
      case 'stereo':
        this.sink.write(this.#a.convert(received), 0);
        this.sink.write(this.#b!.convert(sent), 1);
        return;
      case 'received':
        frame = this.#a.convert(received);
        break;
      case 'sent':
        frame = this.#a.convert(sent);
        break;
      default: {
        const mix = this.#mix;
        for (let i = 0; i < mix.length; i++) {
          const v = received[i]! + sent[i]!;
          mix[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
        }
        frame = this.#a.convert(mix);
      }
    }
    this.sink.write(frame, 0);
    this.sink.write(this.#a.silence(frame), 1);
  }
}
