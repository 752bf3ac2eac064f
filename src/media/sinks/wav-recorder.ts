/**
 * A WAV recorder (RIFF/WAVE, 16-bit linear PCM, format tag 1 of RFC 2361): mono (the two directions
 * mixed, or one of them) or stereo with one party per channel (0 = left = caller, 1 = right = callee,
 * as FreeSWITCH RECORD_STEREO and jambonz / SIPREC recordings lay them out).
 *
 * write() runs in the media tick: it only copies samples into a chunk buffer. Full chunks are written by
 * an asynchronous writer in order; the file is created when the recorder is constructed (writes made
 * before it exists are queued). close() pads the channels to equal length, writes what is left and
 * rewrites the header with the final sizes. A file error never throws into the tick: it is kept in
 * `error`, reported through onError, and later audio is dropped. Pause drops audio (or records silence,
 * FreeSWITCH's "mask"); maxDurationMs stops recording at that length (onLimit is called once).
 */
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import type { AudioSink, SinkChannel } from './audio-sink.ts';
import { checkSinkRate } from './audio-sink.ts';
import { ChannelPairer, mixSaturate } from './channel-pairer.ts';
import { SinkError } from './sink-error.ts';
import { WAV_HEADER_BYTES, wavHeader } from './wav-header.ts';

export type MonoSource = 'mix' | 'left' | 'right';

export interface WavRecorderOptions {
  path: string;
  /** Rate of the frames written (8000 or 16000 typically). */
  sampleRate: number;
  /** 1 (default) or 2 (stereo: channel 0 left, channel 1 right). */
  channels?: 1 | 2;
  /** What a mono file records: both directions mixed (default), or only channel 0 / channel 1. */
  mono?: MonoSource;
  /** Recording stops after this much audio. */
  maxDurationMs?: number;
  /** Called once when maxDurationMs is reached. */
  onLimit?: () => void;
  /** Called once with the first I/O failure. */
  onError?: (err: SinkError) => void;
  /** Bytes per file write; 32 KiB unless given. */
  chunkBytes?: number;
  /** Audio that may wait for a slow disk before it is dropped; 8 MiB unless given. */
  maxQueuedBytes?: number;
  /** How far one direction may run ahead of the other before it is paired with silence; 200 ms unless given. */
  maxSkewMs?: number;
}

/** Largest data chunk a RIFF size field can describe. */
const MAX_DATA_BYTES = 0xffffffff - 36;

export class WavRecorder implements AudioSink {
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  readonly path: string;
  readonly #mono: MonoSource;
  readonly #pairer: ChannelPairer | null;
  readonly #limitFrames: number;
  readonly #chunkBytes: number;
  readonly #maxQueued: number;
  readonly #onLimit: (() => void) | undefined;
  readonly #onError: ((err: SinkError) => void) | undefined;
  readonly #file: Promise<FileHandle | null>;
  #chunk: Buffer;
  #fill = 0;
  #queue: Buffer[] = [];
  #queued = 0;
  #writing: Promise<void> | null = null;
  #fileOffset = WAV_HEADER_BYTES;
  #frames = 0;
  #dropped = 0;
  #paused: false | 'drop' | 'silence' = false;
  #zeros = new Int16Array(0);
  #mixBuf = new Int16Array(0);
  #limitHit = false;
  #closed: Promise<void> | null = null;
  #error: SinkError | undefined;

  constructor(opts: WavRecorderOptions) {
    this.sampleRate = checkSinkRate(opts.sampleRate);
    const ch = opts.channels ?? 1;
    if (ch !== 1 && ch !== 2) {
      throw new SinkError('MEDIA_SINK_OPTIONS', `a WAV recording has 1 or 2 channels, not ${String(ch)}`);
    }
    this.channels = ch;
    this.path = opts.path;
    this.#mono = opts.mono ?? 'mix';
    if (!['mix', 'left', 'right'].includes(this.#mono)) {
      throw new SinkError('MEDIA_SINK_OPTIONS', `bad mono source "${this.#mono}"`);
    }
    const max = opts.maxDurationMs;
    if (max !== undefined && !(max > 0)) {
      throw new SinkError('MEDIA_SINK_OPTIONS', `maxDurationMs must be positive, not ${max}`);
    }
    const byBytes = Math.floor(MAX_DATA_BYTES / (2 * ch));
    this.#limitFrames = max === undefined ? byBytes : Math.min(byBytes, Math.round((max * this.sampleRate) / 1000));
    this.#chunkBytes = Math.max(1024, (opts.chunkBytes ?? 32 * 1024) & ~3);
    this.#maxQueued = opts.maxQueuedBytes ?? 8 * 1024 * 1024;
    this.#onLimit = opts.onLimit;
    this.#onError = opts.onError;
    this.#chunk = Buffer.allocUnsafe(this.#chunkBytes);
    const skew = Math.round(((opts.maxSkewMs ?? 200) * this.sampleRate) / 1000);
    const pairs = ch === 2 || this.#mono === 'mix';
    this.#pairer = pairs ? new ChannelPairer(skew, (l, lo, r, ro, n) => this.#onPair(l, lo, r, ro, n)) : null;
    this.#file = this.#create();
  }

  /** A recorder whose file has been created (rejects with MEDIA_SINK_IO when it cannot be). */
  static async open(opts: WavRecorderOptions): Promise<WavRecorder> {
    const rec = new WavRecorder(opts);
    if (!(await rec.#file)) {
      await rec.close();
      throw rec.#error ?? new SinkError('MEDIA_SINK_IO', `cannot create ${opts.path}`);
    }
    return rec;
  }

  get error(): SinkError | undefined {
    return this.#error;
  }

  /** Audio recorded so far (per channel), in ms. */
  get durationMs(): number {
    return (this.#frames * 1000) / this.sampleRate;
  }

  /** Samples per channel discarded because the disk fell behind. */
  get droppedSamples(): number {
    return this.#dropped;
  }

  get paused(): boolean {
    return this.#paused !== false;
  }

  get limitReached(): boolean {
    return this.#limitHit;
  }

  /** Stops recording audio; with `silence`, silence of the same length is recorded instead. */
  pause(opts: { silence?: boolean } = {}): void {
    this.#paused = opts.silence ? 'silence' : 'drop';
    if (!opts.silence) this.#pairer?.clear();
  }

  resume(): void {
    this.#paused = false;
  }

  write(frame: Int16Array, channel: SinkChannel = 0): void {
    if (this.#closed || this.#error || this.#limitHit || this.#paused === 'drop') return;
    let f = frame;
    if (this.#paused === 'silence') {
      if (this.#zeros.length < frame.length) this.#zeros = new Int16Array(frame.length);
      f = this.#zeros.length === frame.length ? this.#zeros : this.#zeros.subarray(0, frame.length);
    }
    if (this.#pairer) {
      this.#pairer.push(f, channel);
      return;
    }
    if ((this.#mono === 'left') === (channel === 0)) this.#append(f, 0, null, 0, f.length);
  }

  close(): Promise<void> {
    this.#closed ??= this.#finish();
    return this.#closed;
  }

  #onPair(l: Int16Array, lo: number, r: Int16Array, ro: number, n: number): void {
    if (this.channels === 2) {
      this.#append(l, lo, r, ro, n);
      return;
    }
    if (this.#mixBuf.length < n) this.#mixBuf = new Int16Array(Math.max(n, 1024));
    mixSaturate(l, lo, r, ro, this.#mixBuf, 0, n);
    this.#append(this.#mixBuf, 0, null, 0, n);
  }

  /** Appends `n` frames: mono from `a`, or stereo interleaving `a` and `b`. */
  #append(a: Int16Array, ao: number, b: Int16Array | null, bo: number, n: number): void {
    if (this.#error || this.#limitHit) return;
    let count = Math.min(n, this.#limitFrames - this.#frames);
    if (this.#queued > this.#maxQueued) {
      this.#dropped += count;
      return;
    }
    let i = 0;
    while (count > 0) {
      const room = (this.#chunkBytes - this.#fill) >> (b ? 2 : 1);
      const k = Math.min(room, count);
      const chunk = this.#chunk;
      let at = this.#fill;
      if (b) {
        for (let j = 0; j < k; j++, at += 4) {
          chunk.writeInt16LE(a[ao + i + j]!, at);
          chunk.writeInt16LE(b[bo + i + j]!, at + 2);
        }
      } else {
        for (let j = 0; j < k; j++, at += 2) chunk.writeInt16LE(a[ao + i + j]!, at);
      }
      this.#fill = at;
      this.#frames += k;
      i += k;
      count -= k;
      if (this.#fill >= this.#chunkBytes) this.#ship();
    }
    if (this.#frames >= this.#limitFrames && !this.#limitHit) {
      this.#limitHit = true;
      this.#ship();
      try {
        this.#onLimit?.();
      } catch {
        // A listener's failure must not reach the media tick.
      }
    }
  }

  /** Queues the filled part of the chunk for the writer. */
  #ship(): void {
    if (this.#fill === 0) return;
    const full = this.#fill === this.#chunk.length ? this.#chunk : this.#chunk.subarray(0, this.#fill);
    this.#queue.push(full);
    this.#queued += full.length;
    this.#chunk = Buffer.allocUnsafe(this.#chunkBytes);
    this.#fill = 0;
    this.#writing ??= this.#writeQueue();
  }

  async #writeQueue(): Promise<void> {
    const fh = await this.#file;
    while (this.#queue.length > 0) {
      const buf = this.#queue.shift()!;
      this.#queued -= buf.length;
      if (!fh || this.#error) continue;
      try {
        await fh.write(buf, 0, buf.length, this.#fileOffset);
        this.#fileOffset += buf.length;
      } catch (err) {
        this.#fail(`cannot write ${this.path}`, err);
      }
    }
    this.#writing = null;
  }

  async #create(): Promise<FileHandle | null> {
    try {
      const fh = await open(this.path, 'w');
      await fh.write(this.#header(0), 0, WAV_HEADER_BYTES, 0);
      return fh;
    } catch (err) {
      this.#fail(`cannot create ${this.path}`, err);
      return null;
    }
  }

  #header(dataBytes: number): Buffer {
    return wavHeader({ sampleRate: this.sampleRate, channels: this.channels, dataBytes });
  }

  #fail(message: string, cause: unknown): void {
    if (this.#error) return;
    this.#error = new SinkError('MEDIA_SINK_IO', message, { cause });
    this.#queue.length = 0;
    this.#queued = 0;
    try {
      this.#onError?.(this.#error);
    } catch {
      // A listener's failure must not reach the media tick.
    }
  }

  async #finish(): Promise<void> {
    this.#pairer?.flush();
    this.#ship();
    while (this.#writing) await this.#writing;
    const fh = await this.#file;
    if (!fh) return;
    try {
      const dataBytes = this.#fileOffset - WAV_HEADER_BYTES;
      await fh.write(this.#header(dataBytes), 0, WAV_HEADER_BYTES, 0);
    } catch (err) {
      this.#fail(`cannot finalize ${this.path}`, err);
    } finally {
      await fh.close().catch(() => undefined);
    }
  }
}

/** A recorder whose file exists (see WavRecorder.open). */
export function createWavRecorder(opts: WavRecorderOptions): Promise<WavRecorder> {
  return WavRecorder.open(opts);
}
