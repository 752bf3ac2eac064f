/**
 * The timers of the RFC 3261 section 17 state machines, grouped by length. Every timer comes from the
 * stack's one timersFor(): the waits of Timers B, D, F, H, I, J, K, L, M and the 100 (Trying) delay have
 * one length each, and the retransmission intervals of A, E and G take a handful of values. Timers of
 * one length expire in the order they were armed, so each length is a FIFO list under a single clock
 * timer: a transaction waiting out Timer L or J (32 s over UDP, tens of thousands of them at a few
 * thousand calls per second) costs one list entry instead of a clock timer with its handle and closures.
 */
import type { Clock, TimerHandle } from '../../lib/index.ts';

/**
 * What a timer does when it fires: run a function, or tell its owner which of its timers fired (an
 * owner that arms many timers of one kind, such as a transaction ending on Timer L, needs no closure
 * per timer then).
 */
export type WaitAction = (() => void) | { timerFired(name: string): void };

/** One armed timer: an entry in the list of its length. */
export class WaitEntry {
  readonly name: string;
  /** Clock time at which it fires, whole milliseconds. */
  readonly at: number;
  readonly action: WaitAction;
  /** The list it is in; undefined once it fired or was cancelled. */
  queue: WaitQueue | undefined;
  prev: WaitEntry | undefined = undefined;
  next: WaitEntry | undefined = undefined;
  /** The next timer of the same owner (a transaction chains its few timers). */
  sibling: WaitEntry | undefined = undefined;

  constructor(name: string, at: number, action: WaitAction, queue: WaitQueue) {
    this.name = name;
    this.at = at;
    this.action = action;
    this.queue = queue;
  }

  fire(): void {
    const action = this.action;
    if (typeof action === 'function') action();
    else action.timerFired(this.name);
  }

  /** Cancels the timer (nothing happens once it fired). Idempotent. */
  cancel(): void {
    this.queue?.remove(this);
  }
}

/** The timers of one length, in expiry order, under one clock timer armed for the first of them. */
export class WaitQueue {
  readonly ms: number;
  readonly #clock: Clock;
  #head: WaitEntry | undefined;
  #tail: WaitEntry | undefined;
  #size = 0;
  #timer: TimerHandle | undefined;
  #expiring = false;

  constructor(clock: Clock, ms: number) {
    this.#clock = clock;
    this.ms = ms;
  }

  get size(): number {
    return this.#size;
  }

  /** Arms a timer that runs `action` after this queue's length. */
  add(name: string, action: WaitAction): WaitEntry {
    // Rounded up to a whole millisecond: never early, and stored as a small integer rather than a
    // boxed double.
    const entry = new WaitEntry(name, Math.ceil(this.#clock.now() + this.ms), action, this);
    const tail = this.#tail;
    if (tail) {
      tail.next = entry;
      entry.prev = tail;
    } else {
      this.#head = entry;
    }
    this.#tail = entry;
    this.#size++;
    if (!this.#timer && !this.#expiring) this.#arm();
    return entry;
  }

  remove(entry: WaitEntry): void {
    if (entry.queue !== this) return;
    const { prev, next } = entry;
    if (prev) prev.next = next;
    else this.#head = next;
    if (next) next.prev = prev;
    else this.#tail = prev;
    entry.prev = entry.next = entry.queue = undefined;
    this.#size--;
    if (!this.#head && this.#timer) {
      this.#timer.cancel();
      this.#timer = undefined;
    }
  }

  /** Arms the clock timer for the first entry (a timer that fires early finds nothing due and re-arms). */
  #arm(): void {
    const head = this.#head;
    if (!head) return;
    this.#timer = this.#clock.setTimeout(() => this.#expire(), head.at - this.#clock.now());
  }

  #expire(): void {
    this.#timer = undefined;
    this.#expiring = true;
    try {
      const now = this.#clock.now();
      for (let e = this.#head; e && e.at <= now; e = this.#head) {
        this.remove(e);
        e.fire();
      }
    } finally {
      this.#expiring = false;
      if (!this.#timer) this.#arm();
    }
  }
}

/** One WaitQueue per timer length, on one clock (a transaction layer shares one among its machines). */
export class WaitQueues {
  readonly #clock: Clock;
  readonly #byLength = new Map<number, WaitQueue>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Arms a timer of `ms` (> 0) milliseconds. */
  add(ms: number, name: string, action: WaitAction): WaitEntry {
    let queue = this.#byLength.get(ms);
    if (!queue) {
      queue = new WaitQueue(this.#clock, ms);
      this.#byLength.set(ms, queue);
    }
    return queue.add(name, action);
  }

  /** Timers armed across every length (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (const q of this.#byLength.values()) n += q.size;
    return n;
  }
}
