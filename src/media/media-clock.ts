/**
 * The media clock: one per thread, it drives every port in fixed ticks (20 ms, the default packetization
 * interval of RFC 3551 section 4.2) against absolute deadlines: tick n is due at start + n * period, so timer
 * lateness never accumulates into drift. When the event loop was late the missed ticks run back to back,
 * at most `maxCatchUp` of them; older ones are skipped and counted (subscribers see the gap in the tick
 * index). Subscribers are synchronous and must not await; one that throws is counted and logged once and
 * never stops the others.
 *
 * Timing: a timer is armed for the deadline minus `leadMs`; with `refine: 'immediate'` an early wake-up
 * polls with setImmediate until the deadline, with 'busy' it spins (at most leadMs). The default is plain
 * timers ('none', lead 0): Node timers have 1 ms granularity and wake 0-2 ms late, well inside what a
 * jitter buffer absorbs; test/bench/media-clock.bench.ts measures the modes.
 *
 * Virtual time: given a VirtualClock the same scheduling runs on virtual time (advance() fires the ticks),
 * and an idle clock (not started) can be driven by hand with tick().
 */
import { systemClock, errorMessage, SwitchboardError, type Clock, type Logger, type TimerHandle } from '../lib/index.ts';

export type MediaClockErrorCode = 'MEDIA_CLOCK_STATE' | 'MEDIA_CLOCK_CONFIG';

export class MediaClockError extends SwitchboardError {
  declare readonly code: MediaClockErrorCode;

  constructor(code: MediaClockErrorCode, message: string) {
    super(code, message);
  }
}

/** Called once per tick with the tick index (from 0 at start) and the tick's scheduled time (clock ms). */
export type TickListener = (tick: number, timeMs: number) => void;

export interface MediaClockOptions {
  /** Time source and timers (default systemClock; a VirtualClock for tests). */
  clock?: Clock;
  periodMs?: number;
  /** Missed ticks run back to back at most this many per wake-up; older ones are skipped (default 5). */
  maxCatchUp?: number;
  /** Arm the timer this much before the deadline (default 0). */
  leadMs?: number;
  /** How to close the remaining gap after an early wake-up (default 'none'). */
  refine?: 'none' | 'immediate' | 'busy';
  /** A tick later than this counts as late (default periodMs / 4). */
  lateThresholdMs?: number;
  log?: Logger;
}

export interface MediaClockStats {
  ticks: number;
  late: number;
  skipped: number;
  errors: number;
  subscribers: number;
  latenessP50Ms: number;
  latenessP99Ms: number;
  latenessMaxMs: number;
}

interface Subscriber {
  fn: TickListener;
  active: boolean;
  errors: number;
}

/** Lateness histogram: 0.1 ms buckets up to 100 ms, then one overflow bucket; percentiles read a bucket's lower edge. */
const BUCKET_MS = 0.1;
const BUCKETS = 1000;

export class MediaClock {
  readonly periodMs: number;
  readonly #clock: Clock;
  readonly #maxCatchUp: number;
  readonly #leadMs: number;
  readonly #refine: 'none' | 'immediate' | 'busy';
  readonly #lateMs: number;
  readonly #log: Logger | undefined;
  #subs: Subscriber[] = [];
  #startAt = 0;
  #next = 0;
  #timer: TimerHandle | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #running = false;
  #ticks = 0;
  #late = 0;
  #skipped = 0;
  #errors = 0;
  #maxLateness = 0;
  readonly #histogram = new Uint32Array(BUCKETS + 1);

  constructor(options: MediaClockOptions = {}) {
    this.periodMs = options.periodMs ?? 20;
    if (!(this.periodMs > 0)) throw new MediaClockError('MEDIA_CLOCK_CONFIG', `bad tick period: ${this.periodMs}`);
    this.#clock = options.clock ?? systemClock;
    this.#maxCatchUp = Math.max(1, options.maxCatchUp ?? 5);
    this.#leadMs = Math.max(0, options.leadMs ?? 0);
    this.#refine = options.refine ?? 'none';
    this.#lateMs = options.lateThresholdMs ?? this.periodMs / 4;
    this.#log = options.log;
  }

  get running(): boolean {
    return this.#running;
  }

  /** Index of the next tick. */
  get nextTick(): number {
    return this.#next;
  }

  /** Adds a tick listener; returns the function that removes it. */
  subscribe(fn: TickListener): () => void {
    const sub: Subscriber = { fn, active: true, errors: 0 };
    this.#subs = [...this.#subs, sub];
    return () => {
      if (!sub.active) return;
      sub.active = false;
      this.#subs = this.#subs.filter((s) => s !== sub);
    };
  }

  /** Starts ticking on the clock's timers; tick 0 is due now. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#startAt = this.#clock.now();
    this.#next = 0;
    this.#arm();
  }

  /** Stops the timers (subscribers stay). Idempotent. */
  stop(): void {
    this.#running = false;
    this.#timer?.cancel();
    this.#timer = undefined;
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#immediate = undefined;
  }

  /** Stops and drops every subscriber. Idempotent. */
  close(): void {
    this.stop();
    for (const s of this.#subs) s.active = false;
    this.#subs = [];
  }

  /** Runs one tick now (manual driving when not started); throws MEDIA_CLOCK_STATE while running. */
  tick(): void {
    if (this.#running) throw new MediaClockError('MEDIA_CLOCK_STATE', 'tick() is for a clock that is not started');
    this.#run(this.#next++, this.#clock.now(), 0);
  }

  stats(): MediaClockStats {
    return {
      ticks: this.#ticks,
      late: this.#late,
      skipped: this.#skipped,
      errors: this.#errors,
      subscribers: this.#subs.length,
      latenessP50Ms: this.#percentile(0.5),
      latenessP99Ms: this.#percentile(0.99),
      latenessMaxMs: this.#maxLateness,
    };
  }

  /** Clears the counters and the lateness histogram. */
  resetStats(): void {
    this.#ticks = 0;
    this.#late = 0;
    this.#skipped = 0;
    this.#errors = 0;
    this.#maxLateness = 0;
    this.#histogram.fill(0);
  }

  #arm(): void {
    const deadline = this.#startAt + this.#next * this.periodMs;
    const delay = deadline - this.#clock.now() - this.#leadMs;
    this.#timer = this.#clock.setTimeout(this.#onTimer, delay > 0 ? delay : 0);
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    this.#immediate = undefined;
    if (!this.#running) return;
    let now = this.#clock.now();
    const deadline = this.#startAt + this.#next * this.periodMs;
    if (now < deadline) {
      if (this.#refine === 'immediate' && deadline - now <= this.#leadMs + 1) {
        this.#immediate = setImmediate(this.#onTimer);
        return;
      }
      if (this.#refine === 'busy' && deadline - now <= this.#leadMs + 1) {
        while (now < deadline) now = this.#clock.now();
      } else {
        this.#arm();
        return;
      }
    }
    const due = Math.floor((now - this.#startAt) / this.periodMs) - this.#next + 1;
    if (due > this.#maxCatchUp) {
      const skip = due - this.#maxCatchUp;
      this.#skipped += skip;
      this.#next += skip;
    }
    const run = due > this.#maxCatchUp ? this.#maxCatchUp : due;
    for (let i = 0; i < run && this.#running; i++) {
      const n = this.#next++;
      const at = this.#startAt + n * this.periodMs;
      this.#run(n, at, this.#clock.now() - at);
    }
    if (this.#running) this.#arm();
  };

  #run(n: number, at: number, lateness: number): void {
    this.#ticks++;
    if (lateness > this.#lateMs) this.#late++;
    if (lateness > this.#maxLateness) this.#maxLateness = lateness;
    const bucket = lateness <= 0 ? 0 : Math.floor(lateness / BUCKET_MS);
    this.#histogram[bucket < BUCKETS ? bucket : BUCKETS]!++;
    const subs = this.#subs;
    for (let i = 0; i < subs.length; i++) {
      const s = subs[i]!;
      if (!s.active) continue;
      try {
        s.fn(n, at);
      } catch (err) {
        this.#errors++;
        if (s.errors++ === 0) this.#log?.error({ err: errorMessage(err), tick: n }, 'media clock subscriber threw');
      }
    }
  }

  #percentile(p: number): number {
    const total = this.#ticks;
    if (total === 0) return 0;
    const rank = Math.ceil(total * p);
    let seen = 0;
    for (let i = 0; i <= BUCKETS; i++) {
      seen += this.#histogram[i]!;
      if (seen >= rank) return i === BUCKETS ? this.#maxLateness : Math.min(i * BUCKET_MS, this.#maxLateness);
    }
    return this.#maxLateness;
  }
}

let threadClock: MediaClock | undefined;

/**
 * The clock of this thread (each worker thread has its own module instance, hence its own clock),
 * created on first use with default options and started.
 */
export function threadMediaClock(): MediaClock {
  if (!threadClock) {
    threadClock = new MediaClock();
    threadClock.start();
  }
  return threadClock;
}
