/**
 * The UAS core retransmitting its 2xx to an INVITE until the ACK arrives (RFC 3261 section 13.3.1.4,
 * with RFC 6026 letting the server transaction pass the copies in its Accepted state): the 2xx goes out
 * at once, then after T1, 2*T1, 4*T1 ... capped at T2, whatever the transport; when no ACK has arrived
 * 64*T1 after the first send, `onGiveUp` runs (the dialog then sends BYE). A single clock timer serves
 * both: the next copy, or the give-up when it comes before the next copy would.
 */
import type { Clock, TimerHandle } from '../../lib/index.ts';
import type { SipResponse } from '../message/index.ts';
import type { ServerTransaction, TransactionTimers } from '../transaction/index.ts';

export class SuccessRetransmitter {
  readonly response: SipResponse;
  readonly #clock: Clock;
  readonly #timers: TransactionTimers;
  readonly #tx: ServerTransaction;
  readonly #onGiveUp: () => void;
  /** One clock timer at a time: the next copy, or the give-up when that comes first. */
  #timer: TimerHandle | undefined;
  #giveUpAt = 0;
  #active = false;

  constructor(clock: Clock, timers: TransactionTimers, tx: ServerTransaction, response: SipResponse, onGiveUp: () => void) {
    this.#clock = clock;
    this.#timers = timers;
    this.#tx = tx;
    this.response = response;
    this.#onGiveUp = onGiveUp;
  }

  get active(): boolean {
    return this.#active;
  }

  /** Sends the 2xx; returns false when the transaction refused it (it is then not retransmitted). */
  start(): boolean {
    if (!this.#tx.respond(this.response)) return false;
    this.#active = true;
    this.#giveUpAt = this.#clock.now() + 64 * this.#timers.T1;
    this.#arm(this.#timers.T1);
    return true;
  }

  /** The ACK arrived (or the dialog ended): no more copies. Idempotent. */
  stop(): void {
    this.#active = false;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  /** Waits `interval` for the next copy, or less when the give-up time comes first. */
  #arm(interval: number): void {
    const left = this.#giveUpAt - this.#clock.now();
    if (left <= interval) {
      this.#timer = this.#clock.setTimeout(() => {
        if (!this.#active) return;
        this.stop();
        this.#onGiveUp();
      }, left);
      return;
    }
    this.#timer = this.#clock.setTimeout(() => {
      if (!this.#active) return;
      this.#tx.respond(this.response);
      this.#arm(Math.min(2 * interval, this.#timers.T2));
    }, interval);
  }
}
