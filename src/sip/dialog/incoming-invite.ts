/**
 * An INVITE that creates a dialog, on the UAS side (RFC 3261 sections 13.3 and 12.1.1):
 *
 * - progress(): provisional responses; any but 100 carries our To tag, Contact and the copied
 *   Record-Route and creates the early dialog; sent reliably (RFC 3262: Require: 100rel, RSeq,
 *   retransmitted until PRACKed) when the INVITE requires 100rel, or supports it and the application asks;
 * - accept(): the 2xx with Contact, Record-Route, Allow/Supported and the RFC 4028 Session-Expires,
 *   retransmitted until the ACK (section 13.3.1.4); held until every reliable provisional is PRACKed
 *   (RFC 3262 section 3); no ACK within 64*T1 -> BYE and 'failed';
 * - reject() / redirect(): a final 3xx-6xx;
 * - a CANCEL (or a BYE in the early dialog) before the final response: 487 to the INVITE and 'cancel'.
 *
 * Offer/answer (RFC 3264 via section 13.2.1): the INVITE's body is the offer and the 2xx (or a reliable
 * provisional) carries the answer; without a body in the INVITE the 2xx carries our offer and the ACK
 * the answer ('ack' event, dialog.remoteSession).
 */
import { TypedEmitter, errorMessage, newTag, type Listener } from '../../lib/index.ts';
import type { NameAddr, SipRequest, SipResponse, SipUri } from '../message/index.ts';
import { formatNameAddr, parseNameAddr } from '../message/index.ts';
import type { ServerTransaction } from '../transaction/index.ts';
import type { Destination } from '../transport/index.ts';
import { flowFor, type DialogContext } from './dialog-context.ts';
import { DialogState } from './dialog-state.ts';
import { Dialog, type DialogRegistry } from './dialog.ts';
import { DialogError } from './errors.ts';
import { advertises, requires } from './extensions.ts';
import { ReliableProvisionals } from './reliable-provisional.ts';
import { buildResponse, type ResponseInit } from './response-builder.ts';
import { bodyOf, bodyOfInit, type HeaderInit, type SessionBody } from './session-body.ts';
import type { SessionInterval } from './session-timer-negotiation.ts';

export type IncomingInviteEvents = {
  /** The caller cancelled (CANCEL, or BYE in the early dialog) before a final response; 487 was sent. */
  cancel: { request: SipRequest };
  /** The ACK for our 2xx arrived; `body` is the answer when our 2xx carried the offer. */
  ack: { request: SipRequest; body: SessionBody | undefined; dialog: Dialog };
  /** A PRACK acknowledged a reliable provisional; `body` is its answer (or offer), if any. */
  prack: { request: SipRequest; body: SessionBody | undefined };
  /** The call failed after all: the 2xx was never ACKed, or a reliable provisional never PRACKed. */
  failed: { error: DialogError; dialog: Dialog | undefined };
};

export type IncomingInviteState = 'pending' | 'accepting' | 'accepted' | 'confirmed' | 'rejected' | 'cancelled' | 'failed';

export interface ProgressInit extends ResponseInit {
  /** Send reliably (RFC 3262) when the caller supports 100rel; forced when it requires it. */
  reliable?: boolean;
}

/** Session timer outcome the layer negotiated for this INVITE (RFC 4028 section 9). */
export interface IncomingSessionTimer {
  headers: [string, string][];
  session: SessionInterval | undefined;
}

export class IncomingInvite {
  readonly request: SipRequest;
  /** Where the INVITE came from (the flow responses and in-dialog requests may reuse). */
  readonly source: Destination;
  /** The offer in the INVITE; undefined means our 2xx must carry the offer (late offer). */
  readonly offer: SessionBody | undefined;
  /** The To tag of every response to this INVITE. */
  readonly localTag = newTag();
  readonly #ctx: DialogContext;
  readonly #registry: DialogRegistry;
  readonly #tx: ServerTransaction;
  readonly #timer: IncomingSessionTimer;
  readonly #onDone: (invite: IncomingInvite) => void;
  readonly #emitter: TypedEmitter<IncomingInviteEvents>;
  #state: IncomingInviteState = 'pending';
  #dialog: Dialog | undefined;
  #reliable: ReliableProvisionals | undefined;
  #accepting: { resolve: (d: Dialog) => void; reject: (e: DialogError) => void } | undefined;
  #done = false;

  constructor(
    ctx: DialogContext,
    registry: DialogRegistry,
    request: SipRequest,
    tx: ServerTransaction,
    source: Destination,
    timer: IncomingSessionTimer,
    onDone: (invite: IncomingInvite) => void,
  ) {
    this.#ctx = ctx;
    this.#registry = registry;
    this.request = request;
    this.#tx = tx;
    this.source = source;
    this.#timer = timer;
    this.#onDone = onDone;
    this.offer = bodyOf(request);
    this.#emitter = new TypedEmitter<IncomingInviteEvents>((err, event) => {
      ctx.log.error({ err: errorMessage(err), event, callId: request.callId }, 'incoming INVITE listener threw');
    });
  }

  get state(): IncomingInviteState {
    return this.#state;
  }

  get callId(): string {
    return this.request.callId;
  }

  get from(): NameAddr {
    return this.request.from;
  }

  get to(): NameAddr {
    return this.request.to;
  }

  /** The early or confirmed dialog, once a provisional with tag or the 2xx was sent. */
  get dialog(): Dialog | undefined {
    return this.#dialog;
  }

  /** The server transaction (for the stack: e.g. to match a CANCEL). */
  get transaction(): ServerTransaction {
    return this.#tx;
  }

  on<K extends keyof IncomingInviteEvents>(event: K, listener: Listener<IncomingInviteEvents[K]>): () => void {
    return this.#emitter.on(event, listener);
  }

  once<K extends keyof IncomingInviteEvents>(event: K, listener: Listener<IncomingInviteEvents[K]>): () => void {
    return this.#emitter.once(event, listener);
  }

  /** Sends a provisional response (180 Ringing by default; 183 Session Progress with early media ...). */
  progress(status = 180, init: ProgressInit = {}): void {
    if (this.#state !== 'pending') throw new DialogError('SIP_DIALOG_STATE', `cannot send ${status}: the INVITE is ${this.#state}`);
    if (!Number.isInteger(status) || status < 100 || status > 199) throw new DialogError('SIP_DIALOG_INVALID', `bad provisional status ${status}`);
    if (status === 100) {
      this.#tx.respond(buildResponse(this.#ctx, this.request, 100, init));
      return;
    }
    const contact = this.#contact();
    const res = buildResponse(this.#ctx, this.request, status, init, { toTag: this.localTag, contact, recordRoute: true });
    const dialog = this.#ensureDialog(contact, 'early');
    const reliable = requires(this.request, '100rel') || (init.reliable === true && advertises(this.request, '100rel'));
    const body = bodyOfInit(init);
    if (body && this.offer) dialog.setSessions(body, this.offer);
    else if (body && reliable) dialog.setSessions(body, undefined);
    if (reliable) {
      this.#reliable ??= new ReliableProvisionals(this.#ctx.host.clock, this.#ctx.host.timers, this.#tx, this.request.cseq.seq, () =>
        this.#prackTimedOut(),
      );
      this.#reliable.send(res);
    } else {
      this.#tx.respond(res);
    }
  }

  /**
   * Answers 200 OK; resolves with the confirmed dialog once the 2xx is sent (after the PRACKs of
   * outstanding reliable provisionals). Rejects with SIP_DIALOG_CANCELLED if the caller cancelled first,
   * SIP_DIALOG_PRACK_TIMEOUT if a PRACK never came, SIP_DIALOG_STATE after another final response.
   */
  accept(init: ResponseInit = {}): Promise<Dialog> {
    if (this.#state === 'cancelled') return Promise.reject(new DialogError('SIP_DIALOG_CANCELLED', 'the INVITE was cancelled'));
    if (this.#state !== 'pending') return Promise.reject(new DialogError('SIP_DIALOG_STATE', `cannot accept: the INVITE is ${this.#state}`));
    this.#state = 'accepting';
    return new Promise<Dialog>((resolve, reject) => {
      this.#accepting = { resolve, reject };
      const send = (): void => this.#sendSuccess(init);
      if (this.#reliable) this.#reliable.whenIdle(send);
      else send();
    });
  }

  /** Rejects the INVITE with a final 3xx-6xx (486 Busy Here by default). */
  reject(status = 486, reason?: string, headers?: HeaderInit): void {
    if (!Number.isInteger(status) || status < 300 || status > 699) throw new DialogError('SIP_DIALOG_INVALID', `bad rejection status ${status}`);
    if (this.#state !== 'pending' && this.#state !== 'accepting') {
      throw new DialogError('SIP_DIALOG_STATE', `cannot reject: the INVITE is ${this.#state}`);
    }
    const init: ResponseInit = {};
    if (reason !== undefined) init.reason = reason;
    if (headers) init.headers = headers;
    this.#final('rejected', buildResponse(this.#ctx, this.request, status, init, { toTag: this.localTag }));
    this.#failAccept(new DialogError('SIP_DIALOG_STATE', `the INVITE was rejected with ${status}`));
    this.#dialog?.end('rejected', { remote: false });
    this.#finish();
  }

  /** Redirects the caller (302 Moved Temporarily by default) to the given contacts (section 8.3.1). */
  redirect(contacts: readonly (string | SipUri | NameAddr)[], status = 302): void {
    if (status < 300 || status > 399) throw new DialogError('SIP_DIALOG_INVALID', `bad redirection status ${status}`);
    const values = contacts.map((c) => {
      if (typeof c !== 'string') return formatNameAddr('uri' in c ? c : { uri: c, params: {} });
      try {
        return formatNameAddr(parseNameAddr(c));
      } catch (err) {
        throw new DialogError('SIP_DIALOG_INVALID', `bad contact ${c}`, { cause: err });
      }
    });
    this.reject(status, undefined, { Contact: values });
  }

  /** A CANCEL matched this INVITE (internal): 487 if still unanswered, then 'cancel'. */
  receiveCancel(cancel: SipRequest): void {
    if (this.#state !== 'pending' && this.#state !== 'accepting') return;
    this.#final('cancelled', buildResponse(this.#ctx, this.request, 487, undefined, { toTag: this.localTag }));
    this.#failAccept(new DialogError('SIP_DIALOG_CANCELLED', 'the INVITE was cancelled'));
    this.#dialog?.end('cancelled', { remote: true, request: cancel });
    this.#emitter.emit('cancel', { request: cancel });
    this.#finish();
  }

  /** The layer is closing (internal): 503 if unanswered, no more events. */
  close(): void {
    if (this.#state === 'pending' || this.#state === 'accepting') {
      this.#final('failed', buildResponse(this.#ctx, this.request, 503, undefined, { toTag: this.localTag }));
      this.#failAccept(new DialogError('SIP_DIALOG_CLOSED', 'the dialog layer closed'));
    }
    this.#reliable?.stop();
    this.#dialog?.end('closed', { remote: false });
    this.#finish();
  }

  #contact(): SipUri {
    const contact = this.#ctx.host.contactFor(this.source);
    let sips = false;
    try {
      sips = this.request.requestUri.scheme === 'sips';
    } catch {
      sips = false;
    }
    return sips && contact.scheme === 'sip' ? { ...contact, scheme: 'sips' } : contact;
  }

  #ensureDialog(contact: SipUri, phase: 'early' | 'confirmed'): Dialog {
    if (this.#dialog) return this.#dialog;
    let allow: string[] | undefined;
    try {
      allow = this.request.headers.has('allow') ? this.request.headers.values('allow') : undefined;
    } catch {
      allow = undefined;
    }
    const flow = flowFor(this.#ctx.config, this.source);
    const dialog = new Dialog(this.#ctx, this.#registry, {
      state: DialogState.forUas(this.request, this.localTag, contact),
      role: 'uas',
      phase,
      ...(flow ? { flow } : {}),
      ...(allow ? { peerAllow: allow } : {}),
    });
    if (phase === 'early') {
      dialog.setEarlyHooks({
        onPrack: (req, tx) => this.#receivePrack(req, tx),
        onBye: (req) => this.receiveCancel(req),
      });
    }
    this.#dialog = dialog;
    return dialog;
  }

  #sendSuccess(init: ResponseInit): void {
    if (this.#state !== 'accepting') return;
    const contact = this.#contact();
    const res = buildResponse(this.#ctx, this.request, 200, init, { toTag: this.localTag, contact, recordRoute: true, capabilities: true });
    for (const [name, value] of this.#timer.headers) res.headers.set(name, value);
    const dialog = this.#ensureDialog(contact, 'confirmed');
    dialog.confirm();
    this.#reliable?.stop();
    const body = bodyOfInit(init);
    if (this.offer) dialog.setSessions(body, this.offer);
    else dialog.setSessions(body, undefined);
    this.#state = 'accepted';
    // The dialog may end before the ACK (a BYE whose ACK was lost): neither onAck nor onNoAck will run
    // then, and this INVITE must still leave the layer's maps.
    dialog.on('terminated', () => {
      if (this.#state === 'accepted') this.#finish();
    });
    const sent = dialog.sendSuccess(this.#tx, res, {
      onAck: (ack) => {
        const answer = bodyOf(ack);
        if (!this.offer && answer) dialog.setSessions(undefined, answer);
        this.#state = 'confirmed';
        this.#finish();
        this.#emitter.emit('ack', { request: ack, body: answer, dialog });
      },
      onNoAck: () => {
        this.#state = 'failed';
        this.#finish();
        this.#emitter.emit('failed', { error: new DialogError('SIP_DIALOG_NO_ACK', 'no ACK for the 2xx within 64*T1'), dialog });
      },
    });
    if (!sent) {
      this.#state = 'failed';
      dialog.end('closed', { remote: false });
      this.#failAccept(new DialogError('SIP_DIALOG_TRANSPORT', 'the 2xx could not be sent'));
      this.#finish();
      return;
    }
    dialog.startSessionTimer(this.#timer.session);
    const accepting = this.#accepting;
    this.#accepting = undefined;
    accepting?.resolve(dialog);
  }

  #receivePrack(prack: SipRequest, tx: ServerTransaction): boolean {
    if (!this.#reliable || (this.#state !== 'pending' && this.#state !== 'accepting')) return false;
    if (!this.#reliable.receivePrack(prack)) return false;
    tx.respond(buildResponse(this.#ctx, prack, 200));
    const body = bodyOf(prack);
    if (body && !this.offer) this.#dialog?.setSessions(undefined, body);
    this.#emitter.emit('prack', { request: prack, body });
    return true;
  }

  #prackTimedOut(): void {
    if (this.#state !== 'pending' && this.#state !== 'accepting') return;
    const error = new DialogError('SIP_DIALOG_PRACK_TIMEOUT', 'a reliable provisional response was not PRACKed within 64*T1');
    this.#final('failed', buildResponse(this.#ctx, this.request, 500, { reason: 'Reliable Provisional Response Not Acknowledged' }, { toTag: this.localTag }));
    this.#failAccept(error);
    const dialog = this.#dialog;
    dialog?.end('prack-timeout', { remote: false });
    this.#emitter.emit('failed', { error, dialog });
    this.#finish();
  }

  #final(state: IncomingInviteState, res: SipResponse): void {
    this.#state = state;
    this.#reliable?.stop();
    if (!this.#tx.respond(res)) this.#ctx.log.debug({ status: res.status }, 'final response not accepted by the transaction');
  }

  #failAccept(error: DialogError): void {
    const accepting = this.#accepting;
    this.#accepting = undefined;
    accepting?.reject(error);
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    this.#onDone(this);
  }
}
