/**
 * An adaptive jitter buffer for the paths that need media on the clock (recording, mixing,
 * transcoding); a plain relay forwards packets as they come. Pure: the media clock calls pull() once per
 * tick and the socket calls insert() per packet, both with times from one clock; there are no timers.
 *
 * Model (timestamps per RFC 3550 5.1, transit and jitter as in 6.4.1 / A.8): every packet has a transit
 * time, arrival minus its media time. Frame f is played when local time reaches its media time plus a
 * playout offset; it is on time when its transit is at most that offset. The target delay is the spread
 * of recent transits (a high quantile minus the minimum over the last `windowPackets`), plus one frame,
 * in whole frames between minDelayMs and maxDelayMs. It rises at once and falls by one frame per
 * `shrinkIntervalMs` at most.
 *
 * - A talkspurt (the first packet, or a marker bit / gap after the buffer ran dry) starts with the offset
 *   the target asks for: delay changes land in silence, where nobody hears them.
 * - A frame not there when due is 'missing' (the caller conceals: repeat the last frame once, then
 *   silence). If nothing later is buffered either, the first miss holds the playout point for one tick
 *   instead of skipping (the packet is more likely late than lost; this is also how a slow far-end clock
 *   is absorbed). After more than target + one frame of misses with nothing buffered it goes idle.
 * - Deeper than the target by more than a frame (a fast far-end clock, a burst that drained): one frame
 *   is dropped per shrink interval, at once beyond maxDelayMs.
 * - Late packets (their frame was already played) and duplicates are dropped and counted. A packet
 *   beyond the buffer's capacity pushes the oldest frames out. A new SSRC or a timestamp jump larger than
 *   `resetJumpMs` (backwards, or forwards with frames pending) resets the buffer.
 *
 * Packets must carry one frame each (frameMs of media); the slot of a packet is its timestamp divided by
 * the frame size, rounded, so senders whose timestamps are not frame-aligned still map consistently.
 */
import { SwitchboardError } from '../lib/index.ts';
import { TimestampUnwrapper } from './rtp/index.ts';

export class JitterBufferError extends SwitchboardError {
  declare readonly code: 'MEDIA_JB_CONFIG';

  constructor(message: string) {
    super('MEDIA_JB_CONFIG', message);
  }
}

export interface JitterBufferOptions {
  /** RTP clock rate (default 8000). */
  clockRate?: number;
  /** Media per packet and per pull (default 20 ms). */
  frameMs?: number;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Delay of the first talkspurt, before any jitter is known (default 60 ms). */
  initialDelayMs?: number;
  /** Packets the transit statistics look back on (default 100, about 2 s). */
  windowPackets?: number;
  /** Quantile of transit taken as the high end (default 0.98). */
  quantile?: number;
  shrinkIntervalMs?: number;
  resetJumpMs?: number;
}

/** 'queued' (kept), 'duplicate', 'late' (its frame was played), 'reset' (the buffer restarted on it). */
export type JitterInsertResult = 'queued' | 'duplicate' | 'late' | 'reset';
/** 'frame': `payload` holds it; 'missing': conceal; 'idle': nothing is playing (buffering or silence). */
export type JitterPullResult = 'frame' | 'missing' | 'idle';

export class JitterBuffer<T> {
  readonly frameMs: number;
  readonly frameSamples: number;
  readonly capacity: number;
  // The last pulled frame.
  payload: T | undefined;
  sequenceNumber = 0;
  timestamp = 0;
  /** Consecutive 'missing' pulls. */
  missingRun = 0;
  // Counters.
  received = 0;
  played = 0;
  missing = 0;
  late = 0;
  duplicates = 0;
  /** Frames dropped to shrink the delay or pushed out by overflow. */
  dropped = 0;
  resets = 0;
  /** Current target delay and the delay of the last pull (ms). */
  targetDelayMs: number;
  delayMs = 0;
  readonly #o: Required<JitterBufferOptions>;
  readonly #mask: number;
  readonly #slotFrame: Float64Array;
  readonly #slotSeq: Uint16Array;
  readonly #slotTs: Uint32Array;
  readonly #slotPayload: (T | undefined)[];
  readonly #window: Float64Array;
  readonly #sorted: Float64Array;
  #windowCount = 0;
  #windowNext = 0;
  #sinceStats = 0;
  #transitMin = 0;
  #transitHigh = 0;
  #count = 0;
  #state: 'idle' | 'buffering' | 'playing' = 'idle';
  #playFrame = 0;
  #newest = 0;
  #lastShrinkMs = -Infinity;
  #lastTargetDropMs = -Infinity;
  #ssrc: number | undefined;
  readonly #unwrap = new TimestampUnwrapper();

  constructor(options: JitterBufferOptions = {}) {
    const o: Required<JitterBufferOptions> = {
      clockRate: options.clockRate ?? 8000,
      frameMs: options.frameMs ?? 20,
      minDelayMs: options.minDelayMs ?? 20,
      maxDelayMs: options.maxDelayMs ?? 200,
      initialDelayMs: options.initialDelayMs ?? 60,
      windowPackets: options.windowPackets ?? 100,
      quantile: options.quantile ?? 0.98,
      shrinkIntervalMs: options.shrinkIntervalMs ?? 1000,
      resetJumpMs: options.resetJumpMs ?? 1000,
    };
    if (!(o.clockRate > 0 && o.frameMs > 0 && o.minDelayMs >= 0 && o.maxDelayMs >= o.minDelayMs && o.windowPackets >= 1)) {
      throw new JitterBufferError(`bad jitter buffer options: ${JSON.stringify(o)}`);
    }
    this.#o = o;
    this.frameMs = o.frameMs;
    this.frameSamples = Math.round((o.clockRate * o.frameMs) / 1000);
    let cap = 4;
    while (cap < 2 * Math.ceil(o.maxDelayMs / o.frameMs) + 4) cap *= 2;
    this.capacity = cap;
    this.#mask = cap - 1;
    this.#slotFrame = new Float64Array(cap).fill(-1);
    this.#slotSeq = new Uint16Array(cap);
    this.#slotTs = new Uint32Array(cap);
    this.#slotPayload = new Array<T | undefined>(cap).fill(undefined);
    this.#window = new Float64Array(o.windowPackets);
    this.#sorted = new Float64Array(o.windowPackets);
    this.targetDelayMs = this.#quantize(o.initialDelayMs);
  }

  /** Frames held. */
  get size(): number {
    return this.#count;
  }

  get state(): 'idle' | 'buffering' | 'playing' {
    return this.#state;
  }

  /** Jitter estimate: the transit spread the target is built from (ms). */
  get jitterMs(): number {
    return this.#transitHigh - this.#transitMin;
  }

  /** Empties the buffer and forgets the stream (statistics counters stay). */
  reset(): void {
    this.#slotFrame.fill(-1);
    this.#slotPayload.fill(undefined);
    this.#count = 0;
    this.#state = 'idle';
    this.#windowCount = 0;
    this.#windowNext = 0;
    this.#sinceStats = 0;
    this.#unwrap.reset();
    this.#ssrc = undefined;
    this.missingRun = 0;
    this.targetDelayMs = this.#quantize(this.#o.initialDelayMs);
  }

  /** Adds a packet that arrived at `arrivalMs`. The payload reference is kept until pulled or dropped. */
  insert(sequenceNumber: number, timestamp: number, payload: T, arrivalMs: number, ssrc = 0, marker = false): JitterInsertResult {
    this.received++;
    let result: JitterInsertResult = 'queued';
    if (this.#ssrc !== undefined && ssrc !== this.#ssrc) {
      this.#restart();
      result = 'reset';
    }
    this.#ssrc = ssrc;
    let ext = this.#unwrap.peek(timestamp);
    if (this.#state !== 'idle') {
      const jumpMs = ((ext - this.#playFrame * this.frameSamples) * 1000) / this.#o.clockRate;
      if (jumpMs < -this.#o.resetJumpMs || (jumpMs > this.#o.resetJumpMs && this.#count > 0)) {
        this.#restart();
        this.#ssrc = ssrc;
        ext = this.#unwrap.peek(timestamp);
        result = 'reset';
      }
    }
    this.#unwrap.unwrap(timestamp);
    const frame = Math.round(ext / this.frameSamples);
    this.#addTransit(arrivalMs - (ext * 1000) / this.#o.clockRate, arrivalMs);
    if (this.#state === 'idle') {
      this.#playFrame = frame;
      this.#state = 'buffering';
    } else if (frame < this.#playFrame) {
      if (this.#state === 'playing' || (this.#count > 0 && this.#newest - frame >= this.capacity)) {
        this.late++;
        return 'late';
      }
      this.#playFrame = frame; // an earlier packet of a talkspurt that has not started playing
    } else if (this.#state === 'playing' && this.#count === 0 && (marker || frame - this.#playFrame >= this.capacity)) {
      // A new talkspurt after the buffer ran dry: start it with the delay the target asks for.
      this.#playFrame = frame;
      this.#state = 'buffering';
    } else if (frame - this.#playFrame >= this.capacity) {
      this.#pushOut(frame - this.capacity + 1);
    }
    const slot = frame & this.#mask;
    if (this.#slotFrame[slot] === frame) {
      this.duplicates++;
      return 'duplicate';
    }
    this.#slotFrame[slot] = frame;
    this.#slotSeq[slot] = sequenceNumber;
    this.#slotTs[slot] = timestamp >>> 0;
    this.#slotPayload[slot] = payload;
    if (this.#count === 0 || frame > this.#newest) this.#newest = frame;
    this.#count++;
    return result;
  }

  /** One frame for the tick at `nowMs`; on 'frame' read payload, sequenceNumber and timestamp. */
  pull(nowMs: number): JitterPullResult {
    this.payload = undefined;
    if (this.#state === 'idle') return 'idle';
    const mediaMs = (this.#playFrame * this.frameSamples * 1000) / this.#o.clockRate;
    if (this.#state === 'buffering') {
      if (nowMs < mediaMs + this.#transitMin + this.targetDelayMs) return 'idle';
      this.#state = 'playing';
    }
    this.delayMs = nowMs - mediaMs - this.#transitMin;
    let slot = this.#playFrame & this.#mask;
    if (this.#slotFrame[slot] === this.#playFrame) {
      const tooDeep = this.delayMs > this.targetDelayMs + this.frameMs;
      const next = (this.#playFrame + 1) & this.#mask;
      if (
        tooDeep &&
        this.#slotFrame[next] === this.#playFrame + 1 &&
        (nowMs - this.#lastShrinkMs >= this.#o.shrinkIntervalMs || this.delayMs > this.#o.maxDelayMs)
      ) {
        this.#clear(slot);
        this.dropped++;
        this.#playFrame++;
        this.#lastShrinkMs = nowMs;
        this.delayMs -= this.frameMs;
        slot = next;
      }
      this.payload = this.#slotPayload[slot];
      this.sequenceNumber = this.#slotSeq[slot]!;
      this.timestamp = this.#slotTs[slot]!;
      this.#clear(slot);
      this.#playFrame++;
      this.played++;
      this.missingRun = 0;
      return 'frame';
    }
    if (this.#count === 0 && this.missingRun * this.frameMs > this.targetDelayMs + this.frameMs) {
      this.#state = 'idle';
      this.missingRun = 0;
      return 'idle';
    }
    this.missing++;
    const hold = this.#count === 0 && this.missingRun === 0 && this.delayMs + this.frameMs <= this.#o.maxDelayMs;
    this.missingRun++;
    if (!hold) this.#playFrame++;
    return 'missing';
  }

  #restart(): void {
    this.resets++;
    this.reset();
  }

  #clear(slot: number): void {
    this.#slotFrame[slot] = -1;
    this.#slotPayload[slot] = undefined;
    this.#count--;
  }

  /** Advances the playout point to `frame`, dropping what it passes. */
  #pushOut(frame: number): void {
    while (this.#playFrame < frame) {
      const slot = this.#playFrame & this.#mask;
      if (this.#slotFrame[slot] === this.#playFrame) {
        this.#clear(slot);
        this.dropped++;
      }
      this.#playFrame++;
    }
  }

  #quantize(ms: number): number {
    const frames = Math.ceil(ms / this.#o.frameMs - 1e-9);
    return Math.min(this.#o.maxDelayMs, Math.max(this.#o.minDelayMs, frames * this.#o.frameMs));
  }

  #addTransit(transit: number, nowMs: number): void {
    const w = this.#window;
    w[this.#windowNext] = transit;
    this.#windowNext = (this.#windowNext + 1) % w.length;
    if (this.#windowCount < w.length) this.#windowCount++;
    if (this.#windowCount === 1) {
      this.#transitMin = transit;
      this.#transitHigh = transit;
      this.#lastTargetDropMs = nowMs; // the initial delay holds for a shrink interval at least
      return;
    }
    if (transit < this.#transitMin) this.#transitMin = transit;
    if (transit > this.#transitHigh) this.#transitHigh = transit;
    if (++this.#sinceStats < 8 && transit <= this.#transitHigh) {
      this.#retarget(nowMs);
      return;
    }
    this.#sinceStats = 0;
    const n = this.#windowCount;
    const sorted = this.#sorted;
    for (let i = 0; i < sorted.length; i++) sorted[i] = i < n ? w[i]! : Infinity;
    sorted.sort();
    this.#transitMin = sorted[0]!;
    this.#transitHigh = sorted[Math.floor(this.#o.quantile * (n - 1))]!;
    this.#retarget(nowMs);
  }

  #retarget(nowMs: number): void {
    const want = this.#quantize(this.#transitHigh - this.#transitMin + this.frameMs);
    if (want > this.targetDelayMs) {
      this.targetDelayMs = want;
    } else if (want < this.targetDelayMs && nowMs - this.#lastTargetDropMs >= this.#o.shrinkIntervalMs) {
      this.targetDelayMs -= this.frameMs;
      this.#lastTargetDropMs = nowMs;
    }
  }
}
