/**
 * The ACKs of one dialog (RFC 3261 sections 13.2.2.4 and 13.3.1.4):
 *
 * - as UAC: the ACK for a 2xx is built from the dialog (Request-URI and Route as for any request, the
 *   INVITE's CSeq number and credentials), kept, and sent again for each retransmission of that 2xx; a
 *   late-offer 2xx waits for the application's ACK (with the answer) for a bounded time;
 * - as UAS: the 2xx is retransmitted until its ACK arrives (SuccessRetransmitter), and work that must wait
 *   for the ACK (a BYE, section 15) is queued until then.
 */
import { errorMessage, type Logger } from '../../lib/index.ts';
import type { SipRequest, SipResponse } from '../message/index.ts';
import type { ServerTransaction } from '../transaction/index.ts';
import { copyCredentials } from './auth-session.ts';
import type { DialogContext } from './dialog-context.ts';
import type { AckHandlers } from './dialog-port.ts';
import type { DialogState } from './dialog-state.ts';
import { applyInit, type MessageInit } from './session-body.ts';
import { SuccessRetransmitter } from './success-retransmitter.ts';
import { TimerSet } from './timer-set.ts';

/** ACKs kept for retransmitted 2xx (the initial INVITE's and the last re-INVITE's). */
const KEPT = 2;

export class AckExchange {
  readonly #ctx: DialogContext;
  readonly #state: DialogState;
  readonly #log: Logger;
  readonly #transmit: (ack: SipRequest) => void;
  readonly #timers: TimerSet;
  /** UAC only: created with the first ACK sent. */
  #sent: Map<number, SipRequest> | undefined;
  readonly #awaiting = new Map<number, { retransmitter: SuccessRetransmitter; handlers: AckHandlers }>();
  #afterAck: (() => void)[] = [];
  #fromApp: SipRequest | undefined;

  constructor(ctx: DialogContext, state: DialogState, log: Logger, transmit: (ack: SipRequest) => void) {
    this.#ctx = ctx;
    this.#state = state;
    this.#log = log;
    this.#transmit = transmit;
    this.#timers = new TimerSet(ctx.host.clock, log);
  }

  /** UAS: whether a 2xx of ours still waits for its ACK. */
  get awaitingPeer(): boolean {
    return this.#awaiting.size > 0;
  }

  /** UAC: whether the application owes the ACK of a late-offer 2xx. */
  get awaitingApp(): boolean {
    return this.#fromApp !== undefined;
  }

  /** UAC: builds, keeps and sends the ACK for the 2xx to `invite`. */
  send(invite: SipRequest, init?: MessageInit): void {
    const seq = invite.cseq.seq;
    const ack = this.#state.buildRequest('ACK', seq);
    copyCredentials(invite, ack);
    applyInit(ack, init);
    const sent = (this.#sent ??= new Map());
    sent.set(seq, ack);
    for (const old of [...sent.keys()]) if (sent.size > KEPT && old !== seq) sent.delete(old);
    this.#transmit(ack);
  }

  /** UAC: the 2xx to INVITE `seq` arrived again: the same ACK again. */
  resend(seq: number): void {
    const ack = this.#sent?.get(seq);
    if (ack) this.#transmit(ack.clone());
  }

  /** UAC, late offer: the application must call ackFromApp() within `timeoutMs`, else `onTimeout`. */
  expectFromApp(invite: SipRequest, timeoutMs: number, onTimeout: () => void): void {
    this.#fromApp = invite;
    this.#timers.set('late-ack', timeoutMs, () => {
      if (this.#fromApp !== invite) return;
      this.#fromApp = undefined;
      this.#log.warn('the application did not ACK the late-offer 2xx in time');
      this.send(invite);
      onTimeout();
    });
  }

  /** UAC, late offer: the application's ACK. Returns false when none is awaited. */
  ackFromApp(init?: MessageInit): boolean {
    const invite = this.#fromApp;
    if (!invite) return false;
    this.#fromApp = undefined;
    this.#timers.cancel('late-ack');
    this.send(invite, init);
    return true;
  }

  /** UAS: sends a 2xx and retransmits it until the ACK; `onGiveUp` runs after 64*T1 without one. */
  sendSuccess(tx: ServerTransaction, res: SipResponse, handlers: AckHandlers, onGiveUp: () => void): boolean {
    const seq = res.cseq.seq;
    const retransmitter = new SuccessRetransmitter(this.#ctx.host.clock, this.#ctx.host.timers, tx, res, () => {
      this.#awaiting.delete(seq);
      this.#log.warn({ seq }, 'no ACK for the 2xx: ending the dialog');
      try {
        handlers.onNoAck?.();
      } catch (err) {
        this.#log.error({ err: errorMessage(err) }, 'no-ACK handler threw');
      }
      onGiveUp();
    });
    this.#awaiting.set(seq, { retransmitter, handlers });
    if (retransmitter.start()) return true;
    this.#awaiting.delete(seq);
    return false;
  }

  /** UAS: an ACK for a 2xx of ours; stops its retransmission and runs what waited for it. */
  receive(ack: SipRequest): void {
    const seq = ack.cseq.seq;
    const waiting = this.#awaiting.get(seq);
    if (!waiting) return;
    waiting.retransmitter.stop();
    this.#awaiting.delete(seq);
    try {
      waiting.handlers.onAck(ack);
    } catch (err) {
      this.#log.error({ err: errorMessage(err) }, 'ACK handler threw');
    }
    if (this.#awaiting.size === 0) this.#flush();
  }

  /** Runs `fn` once no 2xx of ours waits for its ACK (at once when none does). */
  afterPeerAck(fn: () => void): void {
    if (this.#awaiting.size === 0) fn();
    else this.#afterAck.push(fn);
  }

  /** The dialog ended: no more retransmissions or waiting; queued work runs now. */
  stop(): void {
    this.#timers.clear();
    for (const { retransmitter } of this.#awaiting.values()) retransmitter.stop();
    this.#awaiting.clear();
    this.#fromApp = undefined;
    this.#flush();
  }

  #flush(): void {
    const waiting = this.#afterAck;
    this.#afterAck = [];
    for (const fn of waiting) fn();
  }
}
