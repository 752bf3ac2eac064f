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

export class TickScheduler {
  readonly clock: MediaClock;
  /** Participant failures over the scheduler's life. */
  errors = 0;
  #sessions: TickSession[] = [];
  #mixers: TickMixer[] = [];
  #unsubscribe: (() => void) | undefined;

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
    for (let i = 0; i < sessions.length; i++) {
      const s = sessions[i]!;
      try {
        s.receivePhase(nowMs);
      } catch (err) {
        this.#fail(s, err);
      }
    }
    for (let i = 0; i < mixers.length; i++) {
      const m = mixers[i]!;
      try {
        m.mixPhase(nowMs);
      } catch (err) {
        this.#fail(m, err);
      }
    }
    for (let i = 0; i < sessions.length; i++) {
      const s = sessions[i]!;
      try {
        s.sendPhase(nowMs);
      } catch (err) {
        this.#fail(s, err);
      }
    }
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
