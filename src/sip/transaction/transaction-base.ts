/**
 * Mechanics shared by the four RFC 3261 section 17 state machines: named timers on the injected clock
 * (a 0 ms timer, the reliable-transport value of D, I, J and K, fires at once), transmission that turns a
 * transport failure into the section 17.1.4 / 17.2.4 event, and calls into the transaction user that
 * cannot break the machine when they throw.
 */
import { errorMessage, type Clock, type Logger, type TimerHandle } from '../../lib/index.ts';
import type { SipMessage } from '../message/index.ts';
import { SipTransactionTransportError } from './errors.ts';
import type { TransactionTimers } from './timers.ts';

/**
 * Passes one message to the transport towards the transaction's destination. A failure is reported by
 * throwing or by returning a promise that rejects.
 */
export type TransactionSend = (msg: SipMessage) => void | Promise<void>;

/** What a state machine gets from the layer that creates it. */
export interface TransactionContext {
  readonly clock: Clock;
  readonly timers: TransactionTimers;
  /** True for TCP, TLS, WS, WSS: no retransmissions, and D, I, J, K are 0. */
  readonly reliable: boolean;
  readonly send: TransactionSend;
  readonly log: Logger;
  /** Called once, when the machine reaches Terminated; the layer drops it from its maps. */
  readonly onTerminated?: () => void;
}

export abstract class TransactionBase<S extends string> {
  /** The matching key the layer files this transaction under. */
  readonly id: string;
  protected readonly ctx: TransactionContext;
  #state: S | 'Terminated';
  readonly #timers = new Map<string, TimerHandle>();

  protected constructor(id: string, ctx: TransactionContext, initial: S) {
    this.id = id;
    this.ctx = ctx;
    this.#state = initial;
  }

  get state(): S | 'Terminated' {
    return this.#state;
  }

  get terminated(): boolean {
    return this.#state === 'Terminated';
  }

  /** Names of the timers currently armed (for tests and diagnostics). */
  get activeTimers(): string[] {
    return [...this.#timers.keys()];
  }

  /**
   * Moves to Terminated at once: cancels every timer and tells the layer. Idempotent. The TU may call it
   * to abandon a transaction (for instance on shutdown); nothing is sent to the peer.
   */
  terminate(): void {
    if (this.#state === 'Terminated') return;
    this.#state = 'Terminated';
    for (const handle of this.#timers.values()) handle.cancel();
    this.#timers.clear();
    try {
      this.ctx.onTerminated?.();
    } catch (err) {
      this.ctx.log.error({ err: errorMessage(err), tx: this.id }, 'transaction layer hook threw');
    }
    this.onTerminated();
  }

  protected setState(state: S): void {
    if (this.#state === 'Terminated') return;
    this.#state = state;
  }

  /** Arms (or re-arms) timer `name`; a duration of 0 or less runs `fire` now. Ignored once terminated. */
  protected startTimer(name: string, ms: number, fire: () => void): void {
    if (this.#state === 'Terminated') return;
    this.stopTimer(name);
    if (ms <= 0) {
      fire();
      return;
    }
    const handle = this.ctx.clock.setTimeout(() => {
      if (this.#timers.get(name) !== handle) return;
      this.#timers.delete(name);
      if (this.#state !== 'Terminated') fire();
    }, ms);
    this.#timers.set(name, handle);
  }

  protected stopTimer(name: string): void {
    const handle = this.#timers.get(name);
    if (!handle) return;
    handle.cancel();
    this.#timers.delete(name);
  }

  /**
   * Passes `msg` to the transport. Returns false when the send failed synchronously (the failure has
   * then already been handled); an asynchronous failure is handled when it arrives.
   */
  protected transmit(msg: SipMessage): boolean {
    if (this.#state === 'Terminated') return false;
    let pending: void | Promise<void>;
    try {
      pending = this.ctx.send(msg);
    } catch (err) {
      this.#transportFailed(err);
      return false;
    }
    if (pending instanceof Promise) pending.catch((err: unknown) => this.#transportFailed(err));
    return true;
  }

  /** Runs a transaction user callback; an exception is logged and never reaches the machine. */
  protected callUser(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.ctx.log.error({ err: errorMessage(err), tx: this.id, callback: what }, 'transaction user callback threw');
    }
  }

  /** The machine's reaction to a failed send, per its state diagram. */
  protected abstract onTransportError(err: SipTransactionTransportError): void;

  /** Tells the transaction user the machine has ended. */
  protected abstract onTerminated(): void;

  #transportFailed(cause: unknown): void {
    if (this.#state === 'Terminated') return;
    this.ctx.log.debug({ err: errorMessage(cause), tx: this.id, state: this.#state }, 'transport error');
    this.onTransportError(new SipTransactionTransportError(`transport error: ${errorMessage(cause)}`, cause));
  }
}
