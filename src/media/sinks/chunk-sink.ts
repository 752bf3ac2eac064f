/**
 * A sink that hands audio out in chunks of a fixed length (the audio of a tap for listen/stream sockets
 * and speech recognition): mono takes channel 0; stereo interleaves channel 0 (what the party says) and
 * channel 1 (what it hears) sample by sample, as L16 stereo is laid out. Chunks are fresh arrays the
 * receiver may keep (or transfer to another thread).
 */
import { checkSinkRate, type AudioSink, type SinkChannel } from './audio-sink.ts';

export interface ChunkSinkOptions {
  sampleRate: number;
  channels: 1 | 2;
  /** Chunk length in ms (default 100, at least 10). */
  chunkMs?: number;
}

export class ChunkSink implements AudioSink {
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  readonly #emit: (pcm: Int16Array) => void;
  readonly #chunk: Int16Array;
  #fill = 0;
  #left: Int16Array | undefined;
  #closed = false;

  constructor(options: ChunkSinkOptions, emit: (pcm: Int16Array) => void) {
    this.sampleRate = checkSinkRate(options.sampleRate);
    this.channels = options.channels;
    const ms = Math.max(10, options.chunkMs ?? 100);
    this.#chunk = new Int16Array(Math.round((this.sampleRate * ms) / 1000) * this.channels);
    this.#emit = emit;
  }

  write(frame: Int16Array, channel: SinkChannel = 0): void {
    if (this.#closed) return;
    if (this.channels === 1) {
      if (channel === 0) this.#append(frame, 1, 0);
      return;
    }
    if (channel === 0) {
      this.#left = frame.slice();
      return;
    }
    const left = this.#left ?? new Int16Array(frame.length);
    this.#left = undefined;
    const n = Math.max(left.length, frame.length);
    for (let i = 0; i < n; i++) {
      this.#push(i < left.length ? left[i]! : 0);
      this.#push(i < frame.length ? frame[i]! : 0);
    }
  }

  /** Hands out what is buffered (a short last chunk) and stops. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#fill > 0) this.#emit(this.#chunk.slice(0, this.#fill));
    this.#fill = 0;
  }

  #append(frame: Int16Array, step: number, offset: number): void {
    for (let i = offset; i < frame.length; i += step) this.#push(frame[i]!);
  }

  #push(sample: number): void {
    this.#chunk[this.#fill++] = sample;
    if (this.#fill === this.#chunk.length) {
      this.#emit(this.#chunk.slice());
      this.#fill = 0;
    }
  }
}
