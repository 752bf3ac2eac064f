/**
 * Orders the work of one media clock's tick (20 ms, RFC 3551 section 4.2) across every session and mixer
 * of a thread, in three phases, so that nothing waits a tick for another's output:
 *
 *   1. receive: every session pulls its jitter buffer and decodes (and feeds its conference input);
 *   2. mix: every mixer mixes once (conference rooms also play into and record the room);
 *   3. send: every session produces its frame (prompt, DTMF, its bridge peer's audio decoded in phase
 *      1, its mix from phase 2), encodes, sends, and feeds recorders and taps.
 *
 * One scheduler per MediaClock, subscribed while it has participants (so a thread with no calls has no
 * tick work). A participant that throws is counted and reported once through its own onTickError; the
 * others run on.
 */
import type { MediaClock } from '../media-clock.ts';

export interface TickSession {
  receivePhase(nowMs: number): void;
  sendPhase(nowMs: number): void;
  onTickError(err: unknown): void;
}

export interface TickMixer {
  mixPhase(nowMs: number): void;
  onTickError(err: unknown): void;
}

const registry = new WeakMap<MediaClock, TickScheduler>();

/** How long ticks took to run (all phases) and their mix phase alone, since the last reset. */
export interface TickWorkStats {
  ticks: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  mixP99Ms: number;
  mixMaxMs: number;
}

/** Work-time histogram: 0.05 ms buckets up to 50 ms, then one overflow bucket. */
const WORK_BUCKET_MS = 0.05;
const WORK_BUCKETS = 1000;

class WorkHistogram {
  readonly counts = new Uint32Array(WORK_BUCKETS + 1);
  n = 0;
  max = 0;

  add(ms: number): void {
    this.counts[Math.min(WORK_BUCKETS, Math.floor(ms / WORK_BUCKET_MS))]!++;
    this.n++;
    if (ms > this.max) this.max = ms;
  }

  /** The upper edge of the bucket holding the q-quantile. */
  quantile(q: number): number {
    if (this.n === 0) return 0;
    const want = Math.ceil(q * this.n);
    let seen = 0;
    for (let i = 0; i <= WORK_BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= want) return i === WORK_BUCKETS ? this.max : (i + 1) * WORK_BUCKET_MS;
    }
    return this.max;
  }

  reset(): void {
    this.counts.fill(0);
    this.n = 0;
    this.max = 0;
  }
}

export class TickScheduler {
  readonly clock: MediaClock;
  /** Participant failures over the scheduler's life. */
  errors = 0;
  #sessions: TickSession[] = [];
  #mixers: TickMixer[] = [];
  #unsubscribe: (() => void) | undefined;
  readonly #work = new WorkHistogram();
  readonly #mixWork = new WorkHistogram();

  private constructor(clock: MediaClock) {
    this.clock = clock;
  }

  /** The scheduler of a media clock (created on first use). */
  static of(clock: MediaClock): TickScheduler {
    let s = registry.get(clock);
    if (!s) {
      s = new TickScheduler(clock);
      registry.set(clock, s);
    }
    return s;
  }

  /** Tick work times since the last reset (the clock's own stats give lateness). */
  workStats(): TickWorkStats {
    return {
      ticks: this.#work.n,
      p50Ms: this.#work.quantile(0.5),
      p99Ms: this.#work.quantile(0.99),
      maxMs: this.#work.max,
      mixP99Ms: this.#mixWork.quantile(0.99),
      mixMaxMs: this.#mixWork.max,
    };
  }

  resetWorkStats(): void {
    this.#work.reset();
    this.#mixWork.reset();
  }

  get sessionCount(): number {
    return this.#sessions.length;
  }

  get mixerCount(): number {
    return this.#mixers.length;
  }

  addSession(s: TickSession): void {
    if (this.#sessions.includes(s)) return;
    this.#sessions = [...this.#sessions, s];
    this.#update();
  }

  removeSession(s: TickSession): void {
    if (!this.#sessions.includes(s)) return;
    this.#sessions = this.#sessions.filter((x) => x !== s);
    this.#update();
  }

  addMixer(m: TickMixer): void {
    if (this.#mixers.includes(m)) return;
    this.#mixers = [...this.#mixers, m];
    this.#update();
  }

  removeMixer(m: TickMixer): void {
    if (!this.#mixers.includes(m)) return;
    this.#mixers = this.#mixers.filter((x) => x !== m);
    this.#update();
  }

  #update(): void {
    const busy = this.#sessions.length > 0 || this.#mixers.length > 0;
    if (busy && !this.#unsubscribe) this.#unsubscribe = this.clock.subscribe(this.#tick);
    else if (!busy && this.#unsubscribe) {
      this.#unsubscribe();
      this.#unsubscribe = undefined;
    }
  }

  readonly #tick = (_tick: number, nowMs: number): void => {
    // Snapshots: a participant added or removed during the tick takes effect from the next one.
    const sessions = this.#sessions;
    const mixers = this.#mixers;
    const started = performance.now();
    for (let i = 0; i < sessions.length; i++) {
      const s = sessions[i]!;
      try {
        s.receivePhase(nowMs);
      } catch (err) {
        this.#fail(s, err);
      }
    }
    const mixStarted = mixers.length > 0 ? performance.now() : 0;
    for (let i = 0; i < mixers.length; i++) {
      const m = mixers[i]!;
      try {
        m.mixPhase(nowMs);
      } catch (err) {
        this.#fail(m, err);
      }
    }
    if (mixers.length > 0) this.#mixWork.add(performance.now() - mixStarted);
    for (let i = 0; i < sessions.length; i++) {
      const s = sessions[i]!;
      try {
        s.sendPhase(nowMs);
      } catch (err) {
        this.#fail(s, err);
      }
    }
    this.#work.add(performance.now() - started);
  };

  #fail(p: TickSession | TickMixer, err: unknown): void {
    this.errors++;
    try {
      p.onTickError(err);
    } catch {
      // reporting must not stop the tick
    }
  }
}
