/**
 * Mechanics shared by the four RFC 3261 section 17 state machines: named timers on the injected clock,
 * kept in the wait queues of their layer (a 0 ms timer, the reliable-transport value of D, I, J and K,
 * fires at once), transmission that turns a transport failure into the section 17.1.4 / 17.2.4 event,
 * and calls into the transaction user that cannot break the machine when they throw.
 */
import { errorMessage, type Clock, type Logger } from '../../lib/index.ts';
import type { SipMessage } from '../message/index.ts';
import type { Destination } from '../transport/index.ts';
import { SipTransactionTransportError } from './errors.ts';
import type { TransactionTimers } from './timers.ts';
import { WaitQueues, type WaitEntry } from './wait-queue.ts';

/**
 * Passes one message to the transport towards `destination`, the transaction's (undefined for a machine
 * built without one): a message object, or a message already in wire form (a server transaction keeps
 * its final response only serialized). A failure is reported by throwing or by returning a promise that
 * rejects.
 */
export type TransactionSend = (msg: SipMessage | Buffer, destination: Destination | undefined) => void | Promise<void>;

/**
 * What a state machine gets from the layer that creates it. Nothing in it is specific to one
 * transaction, so a layer shares one context among all its machines of a kind of transport.
 */
export interface TransactionContext {
  readonly clock: Clock;
  readonly timers: TransactionTimers;
  /** True for TCP, TLS, WS, WSS: no retransmissions, and D, I, J, K are 0. */
  readonly reliable: boolean;
  readonly send: TransactionSend;
  readonly log: Logger;
  /**
   * Called once, with the machine, when it reaches Terminated; the layer drops it from its maps. Taking
   * the machine as an argument lets the layer pass one shared function instead of a closure per
   * transaction.
   */
  readonly onTerminated?: (tx: TransactionBase<string>) => void;
  /**
   * Where the machine's timers wait: the layer shares one set among all its transactions. Without it a
   * machine keeps a set of its own (a machine built on its own, as in unit tests).
   */
  readonly waits?: WaitQueues;
}

export abstract class TransactionBase<S extends string> {
  /** The matching key the layer files this transaction under. */
  readonly id: string;
  /** Where the machine's messages go (passed to `ctx.send`). */
  readonly destination: Destination | undefined;
  protected readonly ctx: TransactionContext;
  #state: S | 'Terminated';
  /** The armed timers, in arming order, chained through `sibling` (at most three at a time). */
  #timers: WaitEntry | undefined;
  #ownWaits: WaitQueues | undefined;

  protected constructor(id: string, ctx: TransactionContext, initial: S, destination: Destination | undefined) {
    this.id = id;
    this.ctx = ctx;
    this.destination = destination;
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
    return this.#armed().map((e) => e.name);
  }

  /**
   * Moves to Terminated at once: cancels every timer and tells the layer. Idempotent. The TU may call it
   * to abandon a transaction (for instance on shutdown); nothing is sent to the peer.
   */
  terminate(): void {
    if (this.#state === 'Terminated') return;
    this.#state = 'Terminated';
    for (let e = this.#timers; e; e = e.sibling) e.cancel();
    this.#timers = undefined;
    try {
      this.ctx.onTerminated?.(this);
    } catch (err) {
      this.ctx.log.error({ err: errorMessage(err), tx: this.id }, 'transaction layer hook threw');
    }
    this.onTerminated();
  }

  protected setState(state: S): void {
    if (this.#state === 'Terminated') return;
    this.#state = state;
  }

  /**
   * Arms (or re-arms) timer `name`; a duration of 0 or less runs it now. Without `fire` the timer ends
   * the transaction (the waits of Timers D, I, J, K, L and M). Ignored once terminated.
   */
  protected startTimer(name: string, ms: number, fire?: () => void): void {
    if (this.#state === 'Terminated') return;
    this.stopTimer(name);
    if (ms <= 0) {
      if (fire) fire();
      else this.terminate();
      return;
    }
    // A cancelled entry never fires, and terminate() cancels them all: `fire` needs no guard.
    const waits = this.ctx.waits ?? (this.#ownWaits ??= new WaitQueues(this.ctx.clock));
    const entry = waits.add(ms, name, fire ?? this);
    let last = this.#timers;
    if (!last) {
      this.#timers = entry;
      return;
    }
    while (last.sibling) last = last.sibling;
    last.sibling = entry;
  }

  /** A timer armed without its own function fired (called by the wait queue): the machine ends. */
  timerFired(_name: string): void {
    this.terminate();
  }

  protected stopTimer(name: string): void {
    this.#prune(name);
  }

  /** The armed timers, in arming order. */
  #armed(): WaitEntry[] {
    this.#prune(undefined);
    const out: WaitEntry[] = [];
    for (let e = this.#timers; e; e = e.sibling) out.push(e);
    return out;
  }

  /** Unchains the timers that fired, and cancels and unchains the one named `cancel`. */
  #prune(cancel: string | undefined): void {
    let prev: WaitEntry | undefined;
    for (let e = this.#timers; e; e = e.sibling) {
      if (e.name === cancel) e.cancel();
      if (e.queue) {
        prev = e;
        continue;
      }
      if (prev) prev.sibling = e.sibling;
      else this.#timers = e.sibling;
    }
  }

  /**
   * Passes `msg` to the transport. Returns false when the send failed synchronously (the failure has
   * then already been handled); an asynchronous failure is handled when it arrives.
   */
  protected transmit(msg: SipMessage | Buffer): boolean {
    if (this.#state === 'Terminated') return false;
    let pending: void | Promise<void>;
    try {
      pending = this.ctx.send(msg, this.destination);
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
