/**
 * Gap statistics of audio streams that arrive as frames (the listen benchmark's receiver). Inside a
 * measuring window it keeps, per stream, the audio received against the window's length, and for all
 * streams a 0.1 ms histogram of frame inter-arrival times. A stream open for the whole window that
 * received less audio than the window is long (beyond a tolerance for the frames in flight at its
 * edges) is missing that audio; an inter-arrival longer than `gapMs` (or a stream silent that long at
 * the window's end) is a gap. Pure: arrival times are passed in.
 */

export interface StreamGapOptions {
  /** The window, in the same clock as the arrival times (ms). */
  fromMs: number;
  toMs: number;
  /** Audio bytes per millisecond (8 kHz 16-bit mono: 16). */
  bytesPerMs: number;
  /** An inter-arrival longer than this is a gap. */
  gapMs: number;
  /** Audio a complete stream may lack at the window's edges without counting as missing (ms). */
  toleranceMs: number;
}

export interface StreamGapReport {
  windowMs: number;
  /** Streams seen with audio in the window. */
  streams: number;
  /** Streams open from before the window until after it. */
  complete: number;
  frames: number;
  bytes: number;
  /** Percentiles at 0.1 ms resolution (a bucket's upper edge). */
  interArrivalMs: { p50: number; p99: number; p999: number; max: number };
  /** Inter-arrivals (and silent window ends) longer than gapMs. */
  gaps: number;
  streamsWithGaps: number;
  /** Audio the complete streams lacked beyond the tolerance, summed (ms). */
  missingAudioMs: number;
  streamsShort: number;
  /** Audio received per complete stream (ms): the smallest and the median. */
  receivedMs: { min: number; p50: number };
}

interface StreamState {
  openedAt: number;
  closedAt: number | undefined;
  lastArrival: number | undefined;
  bytes: number;
  frames: number;
  gaps: number;
}

/** Histogram buckets per ms, and their number (2 s); longer inter-arrivals land in the last one (the maximum is kept exactly). */
const PER_MS = 10;
const BUCKETS = 2000 * PER_MS;

export class StreamGaps {
  readonly #o: StreamGapOptions;
  readonly #streams = new Map<string, StreamState>();
  readonly #hist = new Float64Array(BUCKETS + 1);
  #samples = 0;
  #max = 0;

  constructor(options: StreamGapOptions) {
    if (!(options.toMs > options.fromMs) || !(options.bytesPerMs > 0) || !(options.gapMs > 0) || !(options.toleranceMs >= 0)) {
      throw new RangeError('a stream gap window needs fromMs < toMs and positive bytesPerMs and gapMs');
    }
    this.#o = { ...options };
  }

  open(id: string, atMs: number): void {
    if (!this.#streams.has(id)) this.#streams.set(id, { openedAt: atMs, closedAt: undefined, lastArrival: undefined, bytes: 0, frames: 0, gaps: 0 });
  }

  /** One frame of `bytes` audio bytes arrived on stream `id` at `atMs`. */
  frame(id: string, atMs: number, bytes: number): void {
    let s = this.#streams.get(id);
    if (!s) {
      this.open(id, atMs);
      s = this.#streams.get(id)!;
    }
    const { fromMs, toMs } = this.#o;
    if (atMs >= fromMs && atMs <= toMs) {
      s.bytes += bytes;
      s.frames++;
      if (s.lastArrival !== undefined) this.#interArrival(s, atMs - s.lastArrival);
    }
    s.lastArrival = atMs;
  }

  close(id: string, atMs: number): void {
    const s = this.#streams.get(id);
    if (s && s.closedAt === undefined) s.closedAt = atMs;
  }

  #interArrival(s: StreamState, ms: number): void {
    const d = Math.max(0, ms);
    this.#hist[Math.min(BUCKETS, Math.floor(d * PER_MS))]!++;
    this.#samples++;
    if (d > this.#max) this.#max = d;
    if (d > this.#o.gapMs) s.gaps++;
  }

  #percentile(p: number): number {
    if (this.#samples === 0) return NaN;
    const want = Math.ceil((p / 100) * this.#samples);
    let seen = 0;
    for (let i = 0; i <= BUCKETS; i++) {
      seen += this.#hist[i]!;
      if (seen >= want) return i === BUCKETS ? this.#max : Math.min(this.#max, (i + 1) / PER_MS);
    }
    return this.#max;
  }

  report(): StreamGapReport {
    const { fromMs, toMs, bytesPerMs, gapMs, toleranceMs } = this.#o;
    const windowMs = toMs - fromMs;
    let streams = 0;
    let complete = 0;
    let frames = 0;
    let bytes = 0;
    let gaps = 0;
    let streamsWithGaps = 0;
    let missing = 0;
    let short = 0;
    const received: number[] = [];
    for (const s of this.#streams.values()) {
      let streamGaps = s.gaps;
      if (s.frames > 0) streams++;
      frames += s.frames;
      bytes += s.bytes;
      const whole = s.openedAt <= fromMs && (s.closedAt === undefined || s.closedAt >= toMs);
      if (whole) {
        complete++;
        // A stream silent at the window's end has a gap there too (or no audio at all).
        const last = s.lastArrival ?? fromMs;
        if (toMs - Math.max(fromMs, Math.min(last, toMs)) > gapMs) streamGaps++;
        const ms = s.bytes / bytesPerMs;
        received.push(ms);
        const lack = windowMs - ms - toleranceMs;
        if (lack > 0) {
          missing += lack;
          short++;
        }
      }
      gaps += streamGaps;
      if (streamGaps > 0) streamsWithGaps++;
    }
    received.sort((a, b) => a - b);
    return {
      windowMs, streams, complete, frames, bytes,
      interArrivalMs: { p50: this.#percentile(50), p99: this.#percentile(99), p999: this.#percentile(99.9), max: this.#samples ? this.#max : NaN },
      gaps, streamsWithGaps, missingAudioMs: missing, streamsShort: short,
      receivedMs: { min: received[0] ?? NaN, p50: received.length ? received[received.length >> 1]! : NaN },
    };
  }
}
