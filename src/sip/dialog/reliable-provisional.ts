/**
 * The UAS side of reliable provisional responses (RFC 3262 section 3): each reliable provisional carries
 * Require: 100rel and an RSeq (random first value, then +1); it is passed to the INVITE server
 * transaction again after T1, 2*T1, 4*T1 ... until a PRACK whose RAck matches (RSeq, CSeq number and
 * method of the INVITE) arrives; only one is unacknowledged at a time (later ones wait in a queue); when
 * one is retransmitted for 64*T1 without a PRACK, `onTimeout` runs (the INVITE is then rejected with a
 * 5xx). A final response stops everything.
 */
import { randomInt } from 'node:crypto';
import type { Clock, TimerHandle } from '../../lib/index.ts';
import type { SipRequest, SipResponse } from '../message/index.ts';
import type { ServerTransaction, TransactionTimers } from '../transaction/index.ts';
import { rackOf } from './prack.ts';

interface InFlight {
  rseq: number;
  response: SipResponse;
  retransmit: TimerHandle | undefined;
  giveUp: TimerHandle | undefined;
}

export class ReliableProvisionals {
  readonly #clock: Clock;
  readonly #timers: TransactionTimers;
  readonly #tx: ServerTransaction;
  readonly #inviteSeq: number;
  readonly #onTimeout: () => void;
  readonly #queue: SipResponse[] = [];
  #inFlight: InFlight | undefined;
  #nextRSeq = randomInt(1, 0x10000);
  #idle: (() => void)[] = [];
  #stopped = false;

  constructor(clock: Clock, timers: TransactionTimers, tx: ServerTransaction, inviteSeq: number, onTimeout: () => void) {
    this.#clock = clock;
    this.#timers = timers;
    this.#tx = tx;
    this.#inviteSeq = inviteSeq;
    this.#onTimeout = onTimeout;
  }

  /** Whether a reliable provisional is unacknowledged or waiting to be sent. */
  get outstanding(): boolean {
    return this.#inFlight !== undefined || this.#queue.length > 0;
  }

  /** Sends `res` reliably (adds Require: 100rel and RSeq), or queues it behind the unacknowledged one. */
  send(res: SipResponse): void {
    if (this.#stopped) return;
    if (this.#inFlight) this.#queue.push(res);
    else this.#transmit(res);
  }

  /**
   * A PRACK in the early dialog: true when its RAck acknowledges the unacknowledged provisional (the
   * caller answers 200), false otherwise (481, RFC 3262 section 3).
   */
  receivePrack(prack: SipRequest): boolean {
    const rack = rackOf(prack);
    const f = this.#inFlight;
    if (!rack || !f || rack.rseq !== f.rseq || rack.cseq !== this.#inviteSeq || rack.method.toUpperCase() !== 'INVITE') return false;
    this.#clearInFlight();
    const next = this.#queue.shift();
    if (next) this.#transmit(next);
    else this.#settle();
    return true;
  }

  /** Runs `fn` once nothing is outstanding (at once when nothing is). */
  whenIdle(fn: () => void): void {
    if (!this.outstanding) fn();
    else this.#idle.push(fn);
  }

  /** A final response was sent or the INVITE ended: no more retransmissions. Idempotent. */
  stop(): void {
    this.#stopped = true;
    this.#clearInFlight();
    this.#queue.length = 0;
    this.#idle = [];
  }

  #transmit(res: SipResponse): void {
    const rseq = this.#nextRSeq++;
    res.headers.set('Require', '100rel');
    res.headers.set('RSeq', String(rseq));
    const f: InFlight = { rseq, response: res, retransmit: undefined, giveUp: undefined };
    this.#inFlight = f;
    this.#tx.respond(res);
    const arm = (interval: number): void => {
      f.retransmit = this.#clock.setTimeout(() => {
        if (this.#inFlight !== f) return;
        this.#tx.respond(res);
        arm(interval * 2);
      }, interval);
    };
    arm(this.#timers.T1);
    f.giveUp = this.#clock.setTimeout(() => {
      if (this.#inFlight !== f) return;
      this.stop();
      this.#onTimeout();
    }, 64 * this.#timers.T1);
  }

  #clearInFlight(): void {
    const f = this.#inFlight;
    if (!f) return;
    f.retransmit?.cancel();
    f.giveUp?.cancel();
    this.#inFlight = undefined;
  }

  #settle(): void {
    const waiting = this.#idle;
    this.#idle = [];
    for (const fn of waiting) fn();
  }
}
