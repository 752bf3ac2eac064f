/**
 * The transaction user's view of a server transaction (RFC 3261 section 17.2) and what the INVITE and
 * non-INVITE server machines share: the TU answers through `respond()`, and learns about Timer H and
 * transport errors (section 17.2.4) through typed events whose listeners cannot break the machine. ACKs
 * for a 2xx, including one that matches an accepted INVITE (RFC 6026 section 8.7), reach the TU through
 * the layer's `onAck`.
 *
 * A server transaction outlives its final response by Timer J or L (32 s over UDP), so from that response
 * on it keeps only what the rest of its life needs: the final response in wire form when retransmitted
 * requests must be answered with it (non-INVITE Completed, INVITE Completed until the ACK), and nothing
 * of the request or response objects, which would keep the received datagram and its parsed headers.
 */
import { TypedEmitter, errorMessage, type Listener } from '../../lib/index.ts';
import type { SipRequest, SipResponse } from '../message/index.ts';
import { parseNameAddr, serializeMessage } from '../message/index.ts';
import type { Destination } from '../transport/index.ts';
import type { SipTransactionTimeoutError, SipTransactionTransportError } from './errors.ts';
import { usesRfc2543Matching } from './matching.ts';
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
  /**
   * The request, until the final response has been sent; then undefined. A transaction that waits out
   * Timer G/H/I/J/L answers retransmissions from the final response's wire form and needs nothing else.
   */
  readonly request: SipRequest | undefined;
  readonly state: string;
  readonly terminated: boolean;
  /** The last provisional response sent, until the final response; then undefined. */
  readonly lastResponse: SipResponse | undefined;
  /** The status of the final response, once one has been sent. */
  readonly finalStatus: number | undefined;
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

/** How a final response is kept after it was sent. */
export type FinalKeep = 'wire' | 'none';

export abstract class ServerTransactionBase<S extends string> extends TransactionBase<S> implements ServerTransaction {
  abstract readonly kind: ServerTransactionKind;
  /** Created when a listener is added: most transactions never get one. */
  #events: TypedEmitter<ServerTransactionEvents> | undefined;
  #request: SipRequest | undefined;
  #provisional: SipResponse | undefined;
  /** The final response in wire form, while requests may still need it retransmitted. */
  #final: Buffer | undefined;
  #finalStatus: number | undefined;
  /** RFC 2543 matching only: the To value of the responses, whose tag an ACK must carry (17.2.3). */
  #sentTo: string | undefined;
  readonly #legacy: boolean;

  protected constructor(id: string, ctx: TransactionContext, initial: S, request: SipRequest, destination: Destination | undefined) {
    super(id, ctx, initial, destination);
    this.#request = request;
    this.#legacy = usesRfc2543Matching(request);
  }

  get request(): SipRequest | undefined {
    return this.#request;
  }

  get lastResponse(): SipResponse | undefined {
    return this.#provisional;
  }

  get finalStatus(): number | undefined {
    return this.#finalStatus;
  }

  get answered(): boolean {
    return this.#finalStatus !== undefined;
  }

  /** Whether a final response is held in wire form for retransmission (for tests and diagnostics). */
  get holdsFinal(): boolean {
    return this.#final !== undefined;
  }

  /**
   * RFC 2543 matching of an ACK (section 17.2.3): whether `tag` is the To tag of the responses this
   * transaction sent (no tag matches responses without one). Always true for RFC 3261 transactions,
   * whose ACK is matched by branch alone.
   */
  sentToTag(tag: string): boolean {
    if (!this.#legacy) return true;
    let sent = '';
    const to = this.#sentTo;
    if (to !== undefined) {
      try {
        sent = parseNameAddr(to).params['tag'] ?? '';
      } catch {
        sent = '';
      }
    }
    return sent === tag;
  }

  on<K extends keyof ServerTransactionEvents>(event: K, listener: Listener<ServerTransactionEvents[K]>): () => void {
    this.#events ??= new TypedEmitter<ServerTransactionEvents>((err, name) => {
      this.ctx.log.error({ err: errorMessage(err), tx: this.id, event: name }, 'server transaction listener threw');
    });
    return this.#events.on(event, listener);
  }

  abstract respond(res: SipResponse): boolean;

  /**
   * A request the layer matched to this transaction: a retransmission, or the ACK of an INVITE. Returns
   * true when the request is for the TU (an ACK in the Accepted state), false when it was absorbed.
   */
  abstract receiveRequest(req: SipRequest): boolean;

  protected emit<K extends keyof ServerTransactionEvents>(event: K, payload: ServerTransactionEvents[K]): void {
    this.#events?.emit(event, payload);
  }

  /** Records and transmits a provisional response; retransmitted requests are answered with it. */
  protected sendProvisional(res: SipResponse): boolean {
    this.#provisional = res;
    this.#recordTo(res);
    return this.transmit(res);
  }

  /**
   * Transmits the final response. With 'wire' its serialized form is kept to answer retransmissions;
   * either way the request and the response objects are let go.
   */
  protected sendFinal(res: SipResponse, keep: FinalKeep): boolean {
    this.#finalStatus = res.status;
    this.#recordTo(res);
    this.#request = undefined;
    this.#provisional = undefined;
    if (keep === 'none') return this.transmit(res);
    const wire = serializeMessage(res, { standalone: true });
    this.#final = wire;
    return this.transmit(wire);
  }

  /** Retransmits the last response: the final one when kept, else the last provisional. */
  protected resendLast(): boolean {
    const last = this.#final ?? this.#provisional;
    return last ? this.transmit(last) : false;
  }

  /** Drops the kept final response: nothing will be retransmitted any more. */
  protected releaseFinal(): void {
    this.#final = undefined;
  }

  protected reportTransportError(err: SipTransactionTransportError): void {
    this.emit('transportError', err);
  }

  protected override onTerminated(): void {
    this.#request = undefined;
    this.#provisional = undefined;
    this.#final = undefined;
    const events = this.#events;
    this.#events = undefined;
    events?.emit('terminated', undefined);
    events?.removeAllListeners();
  }

  #recordTo(res: SipResponse): void {
    if (this.#legacy) this.#sentTo = res.headers.getByKey('to');
  }
}
