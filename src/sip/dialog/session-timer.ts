/**
 * The running session timer of a dialog (RFC 4028 section 10): the refresher sends a refresh at half
 * the session interval; the other side ends the session when no refresh arrived by the interval minus
 * min(32 s, interval / 3). Every successful refresh (in either direction) starts it again with the
 * newly negotiated interval.
 */
import type { Clock, Logger } from '../../lib/index.ts';
import type { SessionInterval } from './session-timer-negotiation.ts';
import { TimerSet } from './timer-set.ts';

export interface SessionTimerHandlers {
  /** Time for this side to refresh the session. */
  refresh(): void;
  /** The peer did not refresh in time. */
  expire(): void;
}

export class SessionTimer {
  readonly #timers: TimerSet;
  readonly #handlers: SessionTimerHandlers;
  #current: SessionInterval | undefined;

  constructor(clock: Clock, log: Logger, handlers: SessionTimerHandlers) {
    this.#timers = new TimerSet(clock, log);
    this.#handlers = handlers;
  }

  get current(): SessionInterval | undefined {
    return this.#current;
  }

  /** (Re)starts the timer; undefined turns session expiration off. */
  start(session: SessionInterval | undefined): void {
    this.#timers.clear(false);
    this.#current = session;
    if (!session) return;
    const ms = session.interval * 1000;
    if (session.refresherLocal) this.#timers.set('refresh', ms / 2, () => this.#handlers.refresh());
    else this.#timers.set('expire', ms - Math.min(32_000, ms / 3), () => this.#handlers.expire());
  }

  /** Retries a refresh later (the dialog was busy with another offer). */
  retryRefresh(ms: number): void {
    if (this.#current?.refresherLocal) this.#timers.set('refresh', ms, () => this.#handlers.refresh());
  }

  /**
   * A refresh of ours failed without ending the dialog: the session stays until it expires, so the end
   * is armed as if the peer were the refresher, counted from the last refresh (half an interval ago).
   */
  refreshFailed(): void {
    const current = this.#current;
    if (!current) return;
    const ms = current.interval * 1000;
    this.#timers.set('expire', Math.max(0, ms / 2 - Math.min(32_000, ms / 3)), () => this.#handlers.expire());
  }

  stop(): void {
    this.#timers.clear();
    this.#current = undefined;
  }
}
