/**
 * The player behind file and URL sources: reads mono PCM from a PcmStore frame by frame, converts it to
 * the caller's rate with the streaming polyphase resampler (media/resample), loops and seeks.
 *
 * The resampler's group delay is removed (its first `delay` outputs are dropped and the tail is flushed
 * with zeros), so output sample k lines up with input time k / outputRate and a file of N input samples
 * plays as round(N * outputRate / inputRate) samples. Loops run through the resampler without a reset, so
 * a looped prompt has no click at the seam. read() allocates nothing once the buffers for the caller's
 * frame size exist.
 */
import type { AudioSource, LoopCount } from './audio-source.ts';
import { checkSampleRate, msToSamples, normalizeLoop } from './audio-source.ts';
import type { RateConverter } from './rate-converter.ts';
import { createRateConverter } from './rate-converter.ts';
import type { PcmStore } from './pcm-store.ts';

export interface PcmPlayerOptions {
  /** Output rate. */
  sampleRate: number;
  /** Plays in total (default 1); 'forever', 0 or -1 loop until closed. */
  loop?: LoopCount;
  /** Start position in ms. */
  startMs?: number;
}

export class PcmPlayer implements AudioSource {
  readonly sampleRate: number;
  readonly #store: PcmStore;
  readonly #rs: RateConverter | null;
  readonly #delay: number;
  readonly #plays: number;
  #played = 0;
  /** Next input sample, and where the current run (start or last seek) began. */
  #pos = 0;
  #seekBase = 0;
  /** Output samples handed to the caller since the run began. */
  #delivered = 0;
  #inputDone = false;
  #ended = false;
  #closed = false;
  #error: Error | undefined;
  // Resampling state: output FIFO, input scratch, delay to drop, and the counts for the final flush.
  #fifo = new Int16Array(0);
  #head = 0;
  #tail = 0;
  #scratch = new Int16Array(0);
  #frame = 0;
  #skip = 0;
  #fed = 0;
  #raw = 0;
  #target = -1;

  constructor(store: PcmStore, opts: PcmPlayerOptions) {
    this.sampleRate = checkSampleRate(opts.sampleRate);
    this.#store = store;
    this.#plays = normalizeLoop(opts.loop);
    this.#rs = store.sampleRate === this.sampleRate ? null : createRateConverter(store.sampleRate, this.sampleRate);
    this.#delay = this.#rs ? Math.round(this.#rs.delay) : 0;
    this.#skip = this.#delay;
    this.#ensureBuffers(Math.max(1, Math.round(this.sampleRate / 50)));
    if (opts.startMs) this.seek(opts.startMs);
  }

  get ended(): boolean {
    return this.#ended;
  }

  get error(): Error | undefined {
    return this.#error;
  }

  /** Length of one play in ms, once known (the store is complete). */
  get durationMs(): number | undefined {
    const s = this.#store;
    return s.complete ? (s.length * 1000) / s.sampleRate : undefined;
  }

  get positionMs(): number {
    const s = this.#store;
    if (this.#ended && s.complete) return (s.length * 1000) / s.sampleRate;
    let p = this.#seekBase + (this.#rs ? (this.#delivered * s.sampleRate) / this.sampleRate : this.#delivered);
    if (s.complete && s.length > 0) p %= s.length;
    return (p * 1000) / s.sampleRate;
  }

  read(out: Int16Array): number {
    if (this.#ended) return 0;
    const err = this.#store.error;
    if (err) {
      this.#error = err;
      this.#ended = true;
      return 0;
    }
    const n = out.length;
    let got: number;
    let starved = false;
    if (!this.#rs) {
      got = this.#pull(out, 0, n);
      starved = got < n && !this.#inputDone;
      if (got < n) out.fill(0, got);
      if (this.#inputDone) this.#ended = true;
    } else {
      if (n !== this.#frame) this.#ensureBuffers(n);
      starved = this.#fill(n);
      got = Math.min(n, this.#tail - this.#head);
      out.set(this.#fifo.subarray(this.#head, this.#head + got));
      this.#head += got;
      if (got < n) out.fill(0, got);
      if (this.#inputDone && this.#raw >= this.#target && this.#head === this.#tail) this.#ended = true;
    }
    this.#delivered += got;
    return starved ? n : got;
  }

  seek(ms: number): void {
    if (this.#closed) return;
    const s = this.#store;
    let p = Math.max(0, msToSamples(Number.isFinite(ms) ? ms : 0, s.sampleRate));
    if (s.complete) p = Math.min(p, s.length);
    this.#pos = p;
    this.#seekBase = p;
    this.#delivered = 0;
    this.#inputDone = false;
    this.#ended = false;
    this.#rs?.reset();
    this.#head = 0;
    this.#tail = 0;
    this.#skip = this.#delay;
    this.#fed = 0;
    this.#raw = 0;
    this.#target = -1;
  }

  close(): void {
    this.#closed = true;
    this.#ended = true;
  }

  /** Copies input samples, moving to the next loop at the end of a play; stops short when starved. */
  #pull(buf: Int16Array, offset: number, count: number): number {
    const s = this.#store;
    let got = 0;
    while (got < count && !this.#inputDone) {
      const k = s.read(this.#pos, buf, offset + got, count - got);
      this.#pos += k;
      got += k;
      if (got === count || !s.complete) break;
      this.#played++;
      if (this.#played >= this.#plays || s.length === 0) this.#inputDone = true;
      else this.#pos = 0;
    }
    return got;
  }

  /** Runs the resampler until the FIFO holds `n` samples or the input ends; true when starved. */
  #fill(n: number): boolean {
    const rs = this.#rs!;
    const scratch = this.#scratch;
    while (this.#tail - this.#head < n) {
      let input: Int16Array;
      if (!this.#inputDone) {
        const got = this.#pull(scratch, 0, scratch.length);
        this.#fed += got;
        if (got === 0 && !this.#inputDone) return true;
        input = got === scratch.length ? scratch : scratch.subarray(0, got);
        if (got === 0) continue;
      } else {
        if (this.#target < 0) {
          this.#target = Math.round((this.#fed * this.sampleRate) / this.#store.sampleRate) + this.#delay;
        }
        if (this.#raw >= this.#target) return false;
        scratch.fill(0);
        input = scratch;
      }
      this.#process(rs, input);
    }
    return false;
  }

  #process(rs: RateConverter, input: Int16Array): void {
    if (this.#tail + rs.maxOutput(input.length) > this.#fifo.length) {
      this.#fifo.copyWithin(0, this.#head, this.#tail);
      this.#tail -= this.#head;
      this.#head = 0;
    }
    const made = rs.process(input, this.#fifo.subarray(this.#tail));
    const keep = this.#target >= 0 ? Math.min(made, Math.max(0, this.#target - this.#raw)) : made;
    this.#raw += keep;
    const drop = Math.min(this.#skip, keep);
    this.#skip -= drop;
    // Dropped delay samples sit at the front of what was just made; the FIFO was empty while skipping.
    if (drop > 0) this.#fifo.copyWithin(this.#tail, this.#tail + drop, this.#tail + keep);
    this.#tail += keep - drop;
  }

  #ensureBuffers(n: number): void {
    this.#frame = n;
    if (!this.#rs) return;
    const chunk = Math.max(1, Math.ceil((n * this.#store.sampleRate) / this.sampleRate));
    const scratch = new Int16Array(chunk);
    const held = this.#tail - this.#head;
    const fifo = new Int16Array(Math.max(n, held) + this.#rs.maxOutput(chunk) + 8);
    fifo.set(this.#fifo.subarray(this.#head, this.#tail));
    this.#tail = held;
    this.#head = 0;
    this.#scratch = scratch;
    this.#fifo = fifo;
  }
}
