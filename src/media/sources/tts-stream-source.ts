/**
 * A push-fed source for streaming speech synthesis: a TTS provider pushes PCM chunks (any rate, resampled
 * here with media/resample, outside the tick) as they are synthesized, then end() or fail(). The tick
 * reads whole frames; while the next frame is not there yet it plays silence and keeps waiting, so a
 * slow provider stretches the prompt instead of ending it. The resampler's group delay is removed (its
 * first outputs dropped, its tail flushed at end()), so timing matches the pushed audio.
 */
import type { AudioSource } from './audio-source.ts';
import { checkSampleRate, msToSamples } from './audio-source.ts';
import type { RateConverter } from './rate-converter.ts';
import { createRateConverter } from './rate-converter.ts';
import { SourceError } from './source-error.ts';

export interface TtsStreamOptions {
  sampleRate: number;
  /** Audio to collect before the first frame plays (absorbs provider jitter); 0 unless given. */
  prebufferMs?: number;
}

export class TtsStreamSource implements AudioSource {
  readonly sampleRate: number;
  readonly #prebuffer: number;
  readonly #queue: Int16Array[] = [];
  /** Read position in queue[0]. */
  #offset = 0;
  #buffered = 0;
  #started = false;
  #rs: RateConverter | null = null;
  #rsRate = 0;
  #skip = 0;
  #pushedIn = 0;
  #producedOut = 0;
  #delivered = 0;
  #finished = false;
  #ended = false;
  #error: Error | undefined;

  constructor(opts: TtsStreamOptions) {
    this.sampleRate = checkSampleRate(opts.sampleRate);
    this.#prebuffer = msToSamples(Math.max(0, opts.prebufferMs ?? 0), this.sampleRate);
  }

  get ended(): boolean {
    return this.#ended;
  }

  get error(): Error | undefined {
    return this.#error;
  }

  /** Played so far, in ms. */
  get positionMs(): number {
    return (this.#delivered * 1000) / this.sampleRate;
  }

  /** Audio waiting to be played, in ms. */
  get bufferedMs(): number {
    return (this.#buffered * 1000) / this.sampleRate;
  }

  /** True once end() or fail() was called. */
  get finished(): boolean {
    return this.#finished;
  }

  /** Adds synthesized mono PCM at `rate` Hz (the chunk is copied or resampled; the caller may reuse it). */
  push(pcm: Int16Array, rate: number = this.sampleRate): void {
    if (this.#finished || this.#ended || pcm.length === 0) return;
    if (rate === this.sampleRate && !this.#rs) {
      this.#enqueue(pcm.slice());
      return;
    }
    if (!this.#rs || rate !== this.#rsRate) {
      this.#flushResampler();
      this.#rs = rate === this.sampleRate ? null : createRateConverter(rate, this.sampleRate);
      this.#rsRate = rate;
      this.#skip = this.#rs ? Math.round(this.#rs.delay) : 0;
      this.#pushedIn = 0;
      this.#producedOut = 0;
      if (!this.#rs) {
        this.#enqueue(pcm.slice());
        return;
      }
    }
    const rs = this.#rs;
    const out = new Int16Array(rs.maxOutput(pcm.length));
    const n = rs.process(pcm, out);
    this.#pushedIn += pcm.length;
    this.#keep(out, n);
  }

  /** The provider has pushed everything; the source ends when the buffered audio has played. */
  end(): void {
    if (this.#finished) return;
    this.#flushResampler();
    this.#finished = true;
  }

  /** The provider failed: the source ends at once with a MEDIA_SOURCE_TTS error. */
  fail(err: unknown): void {
    if (this.#ended) return;
    this.#finished = true;
    const why = err instanceof Error ? err.message : String(err);
    this.#error =
      err instanceof SourceError
        ? err
        : new SourceError('MEDIA_SOURCE_TTS', `speech synthesis failed: ${why}`, { cause: err });
    this.#drop();
  }

  read(out: Int16Array): number {
    if (this.#ended) return 0;
    if (this.#error) {
      this.#ended = true;
      return 0;
    }
    const n = out.length;
    if (!this.#started) {
      if (this.#buffered < Math.max(this.#prebuffer, 1) && !this.#finished) {
        out.fill(0);
        return n;
      }
      this.#started = true;
    }
    if (this.#buffered < n && !this.#finished) {
      out.fill(0);
      return n;
    }
    let got = 0;
    while (got < n && this.#queue.length > 0) {
      const head = this.#queue[0]!;
      const k = Math.min(n - got, head.length - this.#offset);
      out.set(head.subarray(this.#offset, this.#offset + k), got);
      got += k;
      this.#offset += k;
      if (this.#offset >= head.length) {
        this.#queue.shift();
        this.#offset = 0;
      }
    }
    this.#buffered -= got;
    this.#delivered += got;
    if (got < n) out.fill(0, got);
    if (this.#finished && this.#buffered === 0) this.#ended = true;
    return got;
  }

  close(): void {
    this.#finished = true;
    this.#ended = true;
    this.#drop();
  }

  #enqueue(chunk: Int16Array): void {
    if (chunk.length === 0) return;
    this.#queue.push(chunk);
    this.#buffered += chunk.length;
  }

  /** Queues `out[0..n)` minus the samples of group delay still to drop. */
  #keep(out: Int16Array, n: number): void {
    const drop = Math.min(this.#skip, n);
    this.#skip -= drop;
    this.#producedOut += n - drop;
    this.#enqueue(out.subarray(drop, n));
  }

  /** Pushes zeros through the resampler until the output covers all the input pushed so far. */
  #flushResampler(): void {
    const rs = this.#rs;
    if (!rs) return;
    const target = Math.round((this.#pushedIn * this.sampleRate) / this.#rsRate);
    const zeros = new Int16Array(Math.max(16, Math.ceil((rs.delay + 4) * (this.#rsRate / this.sampleRate)) + 16));
    for (let guard = 0; this.#producedOut < target && guard < 64; guard++) {
      const out = new Int16Array(rs.maxOutput(zeros.length));
      const n = rs.process(zeros, out);
      const keepN = Math.min(n, target - this.#producedOut + Math.min(this.#skip, n));
      this.#keep(out, keepN);
    }
    this.#rs = null;
    this.#rsRate = 0;
  }

  #drop(): void {
    this.#queue.length = 0;
    this.#offset = 0;
    this.#buffered = 0;
  }
}
