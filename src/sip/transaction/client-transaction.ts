/**
 * The transaction user's view of a client transaction (RFC 3261 section 17.1) and what the INVITE and
 * non-INVITE client machines share: passing responses up, and reporting Timer B / F timeouts and
 * transport errors (section 17.1.4) as results. Section 8.1.3.1 treats a timeout as a 408 and a transport
 * error as a 503; a TU that does not handle them gets exactly that, as a synthetic response.
 */
import type { SipRequest, SipResponse } from '../message/index.ts';
import type { Destination } from '../transport/index.ts';
import { createResponse } from '../message/index.ts';
import { SipTransactionTimeoutError, type SipTransactionTransportError } from './errors.ts';
import { TransactionBase, type TransactionContext } from './transaction-base.ts';

export type ClientTransactionKind = 'invite-client' | 'non-invite-client';

/** Callbacks of the transaction user that sent a request. Exceptions thrown by them are logged and ignored. */
export interface ClientTransactionUser {
  /**
   * Every response the transaction passes up: provisionals, the final response, and for INVITE the
   * further 2xx that arrive in the Accepted state (retransmissions and forked answers, RFC 6026).
   */
  onResponse(res: SipResponse, tx: ClientTransaction): void;
  /** Timer B or F fired with no final response. Without this callback a synthetic 408 goes to onResponse. */
  onTimeout?(err: SipTransactionTimeoutError, tx: ClientTransaction): void;
  /**
   * The transport failed; the transaction is terminated. Without this callback a synthetic 503 goes to
   * onResponse (only if no final response has been passed up yet).
   */
  onTransportError?(err: SipTransactionTransportError, tx: ClientTransaction): void;
  /** The transaction reached Terminated (always called last, exactly once). */
  onTerminated?(tx: ClientTransaction): void;
}

/** What the transaction user sees of a client transaction. */
export interface ClientTransaction {
  readonly kind: ClientTransactionKind;
  /** The matching key: top Via branch and CSeq method (section 17.1.3). */
  readonly id: string;
  /**
   * The request, until the final response has arrived; then undefined (Timers D, K and M need nothing of
   * it: an INVITE transaction keeps only the ACK it built for a non-2xx).
   */
  readonly request: SipRequest | undefined;
  readonly state: string;
  readonly terminated: boolean;
  /** Abandons the transaction: timers cancelled, nothing more is sent or passed up. Idempotent. */
  terminate(): void;
}

export abstract class ClientTransactionBase<S extends string> extends TransactionBase<S> implements ClientTransaction {
  abstract readonly kind: ClientTransactionKind;
  readonly #user: ClientTransactionUser;
  #request: SipRequest | undefined;
  /** The method, kept for the timeout report after the request is let go. */
  readonly #method: string;
  #finalPassedUp = false;

  protected constructor(
    id: string,
    ctx: TransactionContext,
    initial: S,
    request: SipRequest,
    user: ClientTransactionUser,
    destination: Destination | undefined,
  ) {
    super(id, ctx, initial, destination);
    this.#request = request;
    this.#method = request.method;
    this.#user = user;
  }

  get request(): SipRequest | undefined {
    return this.#request;
  }

  /** The final response arrived: nothing will be retransmitted or synthesized from the request any more. */
  protected releaseRequest(): void {
    this.#request = undefined;
  }

  /** Sends the request and arms the initial timers (called by the layer once the transaction is filed). */
  abstract start(): void;

  /** A response matched to this transaction by the layer (section 17.1.3). */
  abstract receiveResponse(res: SipResponse): void;

  protected passUp(res: SipResponse): void {
    if (res.status >= 200) this.#finalPassedUp = true;
    this.callUser('onResponse', () => this.#user.onResponse(res, this));
  }

  /** Timer B / F: report the timeout, then terminate. */
  protected timedOut(timer: 'B' | 'F'): void {
    const method = this.#method;
    const err = new SipTransactionTimeoutError(timer, `${method} timed out: Timer ${timer} fired with no final response`);
    const onTimeout = this.#user.onTimeout;
    if (onTimeout) this.callUser('onTimeout', () => onTimeout.call(this.#user, err, this));
    else if (!this.#finalPassedUp) this.#synthesize(408, 'Request Timeout');
    this.terminate();
  }

  /** Section 17.1.4: inform the TU and move straight to Terminated, whatever the state. */
  protected override onTransportError(err: SipTransactionTransportError): void {
    const onTransportError = this.#user.onTransportError;
    if (onTransportError) this.callUser('onTransportError', () => onTransportError.call(this.#user, err, this));
    else if (!this.#finalPassedUp) this.#synthesize(503, 'Service Unavailable');
    this.terminate();
  }

  protected override onTerminated(): void {
    this.#request = undefined;
    const onTerminated = this.#user.onTerminated;
    if (onTerminated) this.callUser('onTerminated', () => onTerminated.call(this.#user, this));
  }

  #synthesize(status: number, reason: string): void {
    const request = this.#request;
    if (!request) return;
    let res: SipResponse;
    try {
      res = createResponse(request, status, reason);
    } catch (err) {
      this.ctx.log.error({ err, tx: this.id }, 'cannot build a synthetic response');
      return;
    }
    this.passUp(res);
  }
}
