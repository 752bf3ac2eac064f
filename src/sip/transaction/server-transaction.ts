/**
 * The transaction user's view of a server transaction (RFC 3261 section 17.2) and what the INVITE and
 * non-INVITE server machines share: the TU answers through `respond()`, and learns about Timer H and
 * transport errors (section 17.2.4) through typed events whose listeners cannot break the machine. ACKs
 * for a 2xx, including one that matches an accepted INVITE (RFC 6026 section 8.7), reach the TU through
 * the layer's `onAck`.
 */
import { TypedEmitter, errorMessage, type Listener } from '../../lib/index.ts';
import type { SipRequest, SipResponse } from '../message/index.ts';
import type { SipTransactionTimeoutError, SipTransactionTransportError } from './errors.ts';
import { TransactionBase, type TransactionContext } from './transaction-base.ts';

export type ServerTransactionKind = 'invite-server' | 'non-invite-server';

// A type alias, not an interface, so that it satisfies TypedEmitter's Record constraint with exact keys.
export type ServerTransactionEvents = {
  /** INVITE: Timer H fired, the ACK for the non-2xx final response never came. */
  timeout: SipTransactionTimeoutError;
  /** A response could not be sent. */
  transportError: SipTransactionTransportError;
  /** The transaction reached Terminated (emitted last, exactly once). */
  terminated: undefined;
};

/** What the transaction user sees of a server transaction. */
export interface ServerTransaction {
  readonly kind: ServerTransactionKind;
  /** The matching key (section 17.2.3). */
  readonly id: string;
  readonly request: SipRequest;
  readonly state: string;
  readonly terminated: boolean;
  /** The last response passed to the transport (provisional or final). */
  readonly lastResponse: SipResponse | undefined;
  /** Whether a final response has been sent. */
  readonly answered: boolean;
  /**
   * Sends a response from the TU. Returns false, sending nothing, when the state does not accept it
   * (a final response after the final response; only a 2xx may follow a 2xx to INVITE).
   */
  respond(res: SipResponse): boolean;
  on<K extends keyof ServerTransactionEvents>(event: K, listener: Listener<ServerTransactionEvents[K]>): () => void;
  /** Abandons the transaction: timers cancelled, nothing more is sent. Idempotent. */
  terminate(): void;
}

export abstract class ServerTransactionBase<S extends string> extends TransactionBase<S> implements ServerTransaction {
  abstract readonly kind: ServerTransactionKind;
  readonly request: SipRequest;
  protected readonly events: TypedEmitter<ServerTransactionEvents>;
  #lastResponse: SipResponse | undefined;
  #answered = false;

  protected constructor(id: string, ctx: TransactionContext, initial: S, request: SipRequest) {
    super(id, ctx, initial);
    this.request = request;
    this.events = new TypedEmitter<ServerTransactionEvents>((err, event) => {
      ctx.log.error({ err: errorMessage(err), tx: id, event }, 'server transaction listener threw');
    });
  }

  get lastResponse(): SipResponse | undefined {
    return this.#lastResponse;
  }

  get answered(): boolean {
    return this.#answered;
  }

  on<K extends keyof ServerTransactionEvents>(event: K, listener: Listener<ServerTransactionEvents[K]>): () => void {
    return this.events.on(event, listener);
  }

  abstract respond(res: SipResponse): boolean;

  /**
   * A request the layer matched to this transaction: a retransmission, or the ACK of an INVITE. Returns
   * true when the request is for the TU (an ACK in the Accepted state), false when it was absorbed.
   */
  abstract receiveRequest(req: SipRequest): boolean;

  /** Records and transmits a response; the last one is what retransmitted requests are answered with. */
  protected sendResponse(res: SipResponse): boolean {
    this.#lastResponse = res;
    if (res.status >= 200) this.#answered = true;
    return this.transmit(res);
  }

  /** Retransmits the last response, if any. */
  protected resendLast(): void {
    if (this.#lastResponse) this.transmit(this.#lastResponse);
  }

  protected reportTransportError(err: SipTransactionTransportError): void {
    this.events.emit('transportError', err);
  }

  protected override onTerminated(): void {
    this.events.emit('terminated', undefined);
    this.events.removeAllListeners();
  }
}
