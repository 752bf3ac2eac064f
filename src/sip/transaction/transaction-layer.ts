/**
 * The RFC 3261 section 17 transaction layer: creates the four state machines, files them under their
 * matching keys (section 17.1.3 for responses, 17.2.3 for requests with the RFC 2543 fallback), routes
 * ACKs (section 17.2.3 / RFC 6026 section 8.7) and CANCELs (section 9.2), and passes everything that
 * matches no transaction to the transaction user: stray responses (retransmitted or forked 2xx, section
 * 13.2.2.4) and ACKs for 2xx responses (section 13.3.1.4).
 *
 * It is transport-agnostic: messages leave through the injected `send(msg, destination)`, and where a
 * server transaction's responses go is computed by the caller (sections 18.2.2 / RFC 3581) and passed in.
 */
import { errorMessage, newBranch, silentLogger, systemClock, type Clock, type Logger } from '../../lib/index.ts';
import type { SipMessage, SipRequest, SipResponse } from '../message/index.ts';
import { createResponse, formatVia } from '../message/index.ts';
import type { Destination } from '../transport/index.ts';
import type { ClientTransaction, ClientTransactionUser } from './client-transaction.ts';
import { SipTransactionClosedError, SipTransactionInvalidError } from './errors.ts';
import { InviteClientTransaction } from './invite-client.ts';
import { InviteServerTransaction } from './invite-server.ts';
import { clientKey, isRfc3261Branch, responseKey, serverKey, usesRfc2543Matching } from './matching.ts';
import { NonInviteClientTransaction } from './non-invite-client.ts';
import { NonInviteServerTransaction } from './non-invite-server.ts';
import type { ServerTransaction } from './server-transaction.ts';
import { timersFor, type TransactionTimers } from './timers.ts';
import type { TransactionBase, TransactionContext } from './transaction-base.ts';
import { WaitQueues } from './wait-queue.ts';

/** Callbacks of the transaction user (UA core, dialog layer, proxy core). Exceptions are logged and ignored. */
export interface TransactionUser {
  /**
   * A request that created a new server transaction (every method except ACK and CANCEL). The TU answers
   * through `tx.respond()`, now or later; an INVITE server transaction sends 100 (Trying) itself when
   * the TU has not answered within `timers.trying` (200 ms).
   */
  onRequest(req: SipRequest, tx: ServerTransaction, source: Destination): void;
  /**
   * A CANCEL (section 9.2), with its own non-INVITE server transaction and the INVITE server transaction
   * it matches (undefined when none does). The TU answers the CANCEL (200, or 481 without an INVITE) and,
   * when the INVITE has no final response yet, the INVITE with 487. Without this callback the layer
   * does exactly that itself.
   */
  onCancel?(cancel: SipRequest, cancelTx: ServerTransaction, inviteTx: ServerTransaction | undefined, source: Destination): void;
  /**
   * An ACK that is not absorbed by a transaction: the ACK for a 2xx, which matches no server transaction
   * (section 17.2.3), or matches an INVITE server transaction in the Accepted state (RFC 6026), then given.
   */
  onAck?(ack: SipRequest, source: Destination, inviteTx: ServerTransaction | undefined): void;
  /** A response that matches no client transaction (section 17.1.3), e.g. a 2xx retransmission. */
  onStrayResponse?(res: SipResponse, source: Destination): void;
}

export interface TransactionLayerOptions {
  /**
   * Passes a message to the transport layer, as an object or already in wire form (the final response
   * a server transaction retransmits); a failure is a throw or a rejected promise.
   */
  send(msg: SipMessage | Buffer, destination: Destination): void | Promise<void>;
  user: TransactionUser;
  clock?: Clock;
  /** The stack's one timer set; defaults to timersFor() (T1 500 ms, T2 4 s, T4 5 s). */
  timers?: TransactionTimers;
  log?: Logger;
  /**
   * Where a server transaction sends its responses when receiveRequest() is given no explicit
   * destination; defaults to the source of the request (its connection for stream transports).
   */
  responseDestination?(req: SipRequest, source: Destination): Destination;
  /** Local sent-by for a Via the layer adds to a request that has none. */
  sentBy?(destination: Destination): { host: string; port?: number };
}

/**
 * What receiveRequest() did with a request: `new` created a server transaction and passed the request to
 * the TU; `retransmission` matched a server transaction, which absorbed or answered it; `ack` was
 * absorbed by an INVITE server transaction (ACK for a non-2xx); `ack-to-tu` went to onAck; `invalid` was
 * dropped (no top Via, unreadable CSeq/Call-ID/From/To, or the layer is closed).
 */
export type RequestDisposition = 'new' | 'retransmission' | 'ack' | 'ack-to-tu' | 'invalid';

/** What receiveResponse() did with a response. */
export type ResponseDisposition = 'matched' | 'stray' | 'invalid';

export class TransactionLayer {
  readonly timers: TransactionTimers;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #send: TransactionLayerOptions['send'];
  readonly #user: TransactionUser;
  readonly #routeResponse: (req: SipRequest, source: Destination) => Destination;
  readonly #sentBy: TransactionLayerOptions['sentBy'];
  readonly #clients = new Map<string, InviteClientTransaction | NonInviteClientTransaction>();
  readonly #servers = new Map<string, InviteServerTransaction | NonInviteServerTransaction>();
  /** The timers of every transaction of the layer, grouped by length. */
  readonly #waits: WaitQueues;
  /** The contexts of the machines over UDP and over reliable transports, shared by all of them. */
  readonly #unreliable: TransactionContext;
  readonly #reliable: TransactionContext;
  #closed = false;

  constructor(options: TransactionLayerOptions) {
    this.timers = options.timers ?? timersFor();
    this.#clock = options.clock ?? systemClock;
    this.#waits = new WaitQueues(this.#clock);
    this.#log = options.log ?? silentLogger();
    this.#send = options.send;
    this.#user = options.user;
    this.#routeResponse = options.responseDestination ?? ((_req, source) => source);
    this.#sentBy = options.sentBy;
    this.#unreliable = this.#sharedContext(false);
    this.#reliable = this.#sharedContext(true);
  }

  /** Live transactions, for tests and metrics. */
  get counts(): { client: number; server: number } {
    return { client: this.#clients.size, server: this.#servers.size };
  }

  /** Armed transaction timers, for tests and metrics. */
  get pendingTimers(): number {
    return this.#waits.size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Starts a client transaction for `req` towards `destination` (INVITE or non-INVITE; never ACK, which
   * is sent by the TU directly for a 2xx and by the transaction for a non-2xx). The request should carry
   * a top Via with a fresh branch; one is added when the branch, or the whole Via, is missing.
   * Throws SipTransactionInvalidError for ACK or a branch already in use, SipTransactionClosedError after
   * close(). A transport failure on the first send is reported through `user` before this returns.
   */
  sendRequest(req: SipRequest, destination: Destination, user: ClientTransactionUser): ClientTransaction {
    if (this.#closed) throw new SipTransactionClosedError();
    if (req.method === 'ACK') throw new SipTransactionInvalidError('ACK is not sent in a client transaction');
    const branch = this.#ensureBranch(req, destination);
    const key = clientKey(branch, req.method);
    if (this.#clients.has(key)) throw new SipTransactionInvalidError(`branch ${branch} is already in use for ${req.method}`);
    const ctx = this.#contextFor(destination);
    const tx =
      req.method === 'INVITE'
        ? new InviteClientTransaction(key, ctx, req, user, destination)
        : new NonInviteClientTransaction(key, ctx, req, user, destination);
    this.#clients.set(key, tx);
    tx.start();
    return tx;
  }

  /** A response from the transport (section 17.1.3 matching). */
  receiveResponse(res: SipResponse, source: Destination): ResponseDisposition {
    if (this.#closed) return 'invalid';
    let key: string | undefined;
    try {
      key = responseKey(res);
    } catch (err) {
      this.#log.debug({ err: errorMessage(err) }, 'response without usable Via/CSeq dropped');
      return 'invalid';
    }
    const tx = key === undefined ? undefined : this.#clients.get(key);
    if (tx) {
      tx.receiveResponse(res);
      return 'matched';
    }
    const onStray = this.#user.onStrayResponse;
    if (onStray) this.#callUser('onStrayResponse', () => onStray.call(this.#user, res, source));
    return 'stray';
  }

  /**
   * A request from the transport (section 17.2.3 matching). `responseDestination` is where a new server
   * transaction sends its responses; by default the layer's `responseDestination` option decides.
   */
  receiveRequest(req: SipRequest, source: Destination, responseDestination?: Destination): RequestDisposition {
    if (this.#closed) return 'invalid';
    try {
      if (req.method === 'ACK') return this.#receiveAck(req, source);
      const key = serverKey(req);
      if (key === undefined) return 'invalid';
      const existing = this.#servers.get(key);
      if (existing) {
        existing.receiveRequest(req);
        return 'retransmission';
      }
      this.#createServer(key, req, responseDestination ?? this.#routeResponse(req, source), source);
      return 'new';
    } catch (err) {
      this.#log.debug({ err: errorMessage(err), method: req.method }, 'request without usable Via/CSeq/From/To dropped');
      return 'invalid';
    }
  }

  /** Terminates every transaction (cancelling all timers) and clears the maps. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const tx of [...this.#clients.values(), ...this.#servers.values()]) tx.terminate();
    this.#clients.clear();
    this.#servers.clear();
  }

  #createServer(key: string, req: SipRequest, destination: Destination, source: Destination): void {
    const ctx = this.#contextFor(destination);
    const tx = req.method === 'INVITE'
      ? new InviteServerTransaction(key, ctx, req, destination)
      : new NonInviteServerTransaction(key, ctx, req, destination);
    this.#servers.set(key, tx);
    if (req.method === 'CANCEL') this.#cancel(req, tx, source);
    else this.#callUser('onRequest', () => this.#user.onRequest(req, tx, source));
    // After the TU has seen the request: a TU that answered at once needs no 100 (Trying).
    tx.start();
  }

  #cancel(cancel: SipRequest, cancelTx: ServerTransaction, source: Destination): void {
    const inviteKey = serverKey(cancel, 'INVITE');
    const found = inviteKey === undefined ? undefined : this.#servers.get(inviteKey);
    const inviteTx = found?.kind === 'invite-server' ? found : undefined;
    const onCancel = this.#user.onCancel;
    if (onCancel) {
      this.#callUser('onCancel', () => onCancel.call(this.#user, cancel, cancelTx, inviteTx, source));
      return;
    }
    if (!inviteTx) {
      cancelTx.respond(createResponse(cancel, 481, 'Call/Transaction Does Not Exist'));
      return;
    }
    cancelTx.respond(createResponse(cancel, 200, 'OK'));
    const invite = inviteTx.request;
    if (!inviteTx.answered && invite) inviteTx.respond(createResponse(invite, 487, 'Request Terminated'));
  }

  #receiveAck(ack: SipRequest, source: Destination): RequestDisposition {
    const tx = this.#inviteForAck(ack);
    if (tx && !tx.receiveRequest(ack)) return 'ack';
    const onAck = this.#user.onAck;
    if (onAck) this.#callUser('onAck', () => onAck.call(this.#user, ack, source, tx));
    return 'ack-to-tu';
  }

  /**
   * Section 17.2.3: with a magic cookie the ACK carries the INVITE's branch (it matches only the ACK for
   * a non-2xx; the ACK for a 2xx is a new transaction). Under RFC 2543 rules the ACK matches on
   * Request-URI, From tag, Call-ID, CSeq number and top Via, and its To tag must be the one of the
   * response the server transaction sent.
   */
  #inviteForAck(ack: SipRequest): InviteServerTransaction | undefined {
    if (!usesRfc2543Matching(ack)) {
      const key = serverKey(ack, 'INVITE');
      const tx = key === undefined ? undefined : this.#servers.get(key);
      return tx?.kind === 'invite-server' ? tx : undefined;
    }
    const ackTag = ack.toTag ?? '';
    for (const inviteTag of new Set([ackTag, ''])) {
      const key = serverKey(ack, 'INVITE', inviteTag);
      const tx = key === undefined ? undefined : this.#servers.get(key);
      if (tx?.kind === 'invite-server' && tx.sentToTag(ackTag)) return tx;
    }
    return undefined;
  }

  #ensureBranch(req: SipRequest, destination: Destination): string {
    const via = req.topVia;
    if (via) {
      const branch = via.params['branch'];
      if (isRfc3261Branch(branch)) return branch;
      const fresh = newBranch();
      req.headers.removeFirstValue('via');
      req.headers.prepend('via', formatVia({ ...via, params: { ...via.params, branch: fresh } }));
      return fresh;
    }
    const local = this.#sentBy?.(destination);
    if (!local) throw new SipTransactionInvalidError('request has no Via and no sentBy option is configured');
    const fresh = newBranch();
    req.headers.prepend(
      'via',
      formatVia({ protocol: 'SIP/2.0', transport: destination.transport.toUpperCase(), host: local.host, port: local.port, params: { branch: fresh } }),
    );
    return fresh;
  }

  #contextFor(destination: Destination): TransactionContext {
    return destination.transport === 'udp' ? this.#unreliable : this.#reliable;
  }

  #sharedContext(reliable: boolean): TransactionContext {
    return {
      clock: this.#clock,
      timers: this.timers,
      reliable,
      send: (msg, destination) => {
        if (!destination) throw new SipTransactionInvalidError('transaction without a destination');
        return this.#send(msg, destination);
      },
      log: this.#log,
      onTerminated: (tx) => this.#forget(tx),
      waits: this.#waits,
    };
  }

  /** Drops a terminated transaction from its map (only if that key is still filed under it). */
  #forget(tx: TransactionBase<string>): void {
    if (this.#servers.get(tx.id) === tx) this.#servers.delete(tx.id);
    else if (this.#clients.get(tx.id) === tx) this.#clients.delete(tx.id);
  }

  #callUser(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#log.error({ err: errorMessage(err), callback: what }, 'transaction user callback threw');
    }
  }
}
