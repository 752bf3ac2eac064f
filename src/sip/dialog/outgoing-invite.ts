/**
 * An INVITE that creates a dialog, on the UAC side (RFC 3261 sections 13.2, 12.1.2, 9.1; RFC 3262;
 * RFC 4028; RFC 6026):
 *
 * - provisionals with a To tag create early dialogs, one per tag (forking); a reliable one (Require:
 *   100rel with RSeq) is PRACKed in its early dialog, in RSeq order;
 * - the first 2xx confirms its dialog (route set and target recomputed from the 2xx) and is ACKed by the
 *   layer (section 13.2.2.4), unless it carries the offer (INVITE without body): the application then
 *   ACKs with the answer (ack()); later 2xx for that dialog get the same ACK again; 2xx from other forks
 *   are ACKed and BYEd;
 * - cancel() sends CANCEL once a provisional has arrived (section 9.1; before, it waits for one); a 2xx
 *   that races the CANCEL is ACKed and BYEd; with no final response 64*T1 after the CANCEL the INVITE is
 *   given up;
 * - 401/407 are answered once per realm with credentials (new CSeq, same Call-ID and tags), 422 with the
 *   Min-SE asked for;
 * - the outcome is a value: { ok: true, dialog, response } or { ok: false, status, reason, cause }.
 */
import { TypedEmitter, errorMessage, type Listener } from '../../lib/index.ts';
import type { SipRequest, SipResponse, SipUri } from '../message/index.ts';
import { cancelFor, type ClientTransaction, type ClientTransactionUser } from '../transaction/index.ts';
import type { Destination } from '../transport/index.ts';
import type { AuthChain, AuthSession } from './auth-session.ts';
import { flowFor, type DialogContext } from './dialog-context.ts';
import { DialogState } from './dialog-state.ts';
import { Dialog, type DialogRegistry } from './dialog.ts';
import { DialogError } from './errors.ts';
import { ackAndBye } from './fork-cleanup.ts';
import { RSeqTracker, formatRAck, isReliableProvisional, rseqOf } from './prack.ts';
import { bodyOf, bodyOfInit, type MessageInit, type SessionBody } from './session-body.ts';
import { parseMinSE, sessionFromResponse } from './session-timer-negotiation.ts';
import { TimerSet } from './timer-set.ts';

export type InviteFailureCause = 'rejected' | 'redirected' | 'cancelled' | 'no-answer' | 'timeout' | 'transport' | 'closed';

export type InviteResult =
  /** `offer` is set when the 2xx carried the offer: answer it with ack({ body }). */
  | { ok: true; dialog: Dialog; response: SipResponse; offer: SessionBody | undefined }
  | { ok: false; status: number; reason: string; cause: InviteFailureCause; response?: SipResponse };

export interface ProvisionalEvent {
  response: SipResponse;
  status: number;
  /** The early dialog of the provisional's To tag, if it has one. */
  dialog: Dialog | undefined;
  reliable: boolean;
  body: SessionBody | undefined;
  /**
   * A reliable provisional carrying the offer (INVITE without body): call during the event to put the
   * answer in the PRACK.
   */
  answer(init: MessageInit): void;
}

export type OutgoingInviteEvents = {
  /** Every provisional response, 100 included. */
  progress: ProvisionalEvent;
  /** The outcome (same value as `result`). */
  result: InviteResult;
};

export interface OutgoingInviteParams {
  request: SipRequest;
  contact: SipUri;
  destination?: Destination;
  auth: AuthSession;
  /** Cancel when no final response arrived within this many ms. */
  timeout?: number;
  /** How long the application may take to ack() a 2xx that carried the offer, ms. */
  ackTimeout: number;
}

const MAX_INTERVAL_ROUNDS = 2;

export class OutgoingInvite {
  /** Resolves with the outcome; never rejects. */
  readonly result: Promise<InviteResult>;
  readonly callId: string;
  readonly #ctx: DialogContext;
  readonly #registry: DialogRegistry;
  readonly #p: OutgoingInviteParams;
  readonly #emitter: TypedEmitter<OutgoingInviteEvents>;
  readonly #timers: TimerSet;
  readonly #onDone: (invite: OutgoingInvite) => void;
  readonly #chain: AuthChain;
  readonly #early = new Map<string, Dialog>();
  readonly #rseq = new Map<string, RSeqTracker>();
  #request: SipRequest;
  #tx: ClientTransaction | undefined;
  #attempt: object = {};
  #resolve!: (r: InviteResult) => void;
  #outcome: InviteResult | undefined;
  #winner: Dialog | undefined;
  #provisional = false;
  #cancel: { cause: InviteFailureCause; sent: boolean } | undefined;
  #offerDone = false;
  #intervalRounds = 0;
  #txDone = false;
  #done = false;

  constructor(ctx: DialogContext, registry: DialogRegistry, params: OutgoingInviteParams, onDone: (invite: OutgoingInvite) => void) {
    this.#ctx = ctx;
    this.#registry = registry;
    this.#p = params;
    this.#request = params.request;
    this.callId = params.request.callId;
    this.#onDone = onDone;
    this.#chain = params.auth.chain();
    this.#timers = new TimerSet(ctx.host.clock, ctx.log);
    this.#emitter = new TypedEmitter<OutgoingInviteEvents>((err, event) => {
      ctx.log.error({ err: errorMessage(err), event, callId: this.callId }, 'outgoing INVITE listener threw');
    });
    this.result = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /** The INVITE last sent (a retry after a challenge has credentials and a new CSeq). */
  get request(): SipRequest {
    return this.#request;
  }

  get localTag(): string {
    return this.#request.fromTag ?? '';
  }

  /** The outcome, once known. */
  get outcome(): InviteResult | undefined {
    return this.#outcome;
  }

  /** The early dialogs by To tag (forks that sent a provisional with a tag). */
  get earlyDialogs(): ReadonlyMap<string, Dialog> {
    return this.#early;
  }

  on<K extends keyof OutgoingInviteEvents>(event: K, listener: Listener<OutgoingInviteEvents[K]>): () => void {
    return this.#emitter.on(event, listener);
  }

  once<K extends keyof OutgoingInviteEvents>(event: K, listener: Listener<OutgoingInviteEvents[K]>): () => void {
    return this.#emitter.once(event, listener);
  }

  /** Sends the INVITE (internal: the layer calls it once). */
  start(): void {
    if (this.#p.timeout !== undefined) this.#timers.set('no-answer', this.#p.timeout, () => this.#requestCancel('no-answer'));
    this.#send(this.#request);
  }

  /** Cancels the INVITE (section 9.1); no effect once a final response arrived. */
  cancel(): void {
    this.#requestCancel('cancelled');
  }

  /** Late offer: sends the ACK with the answer to the offer in the 2xx (see InviteResult.offer). */
  ack(init?: MessageInit): void {
    const dialog = this.#winner;
    if (!dialog?.awaitingAck) throw new DialogError('SIP_DIALOG_STATE', 'no ACK is awaited from the application');
    dialog.ack(init);
  }

  /** A 2xx for this INVITE after its transaction ended (internal, from the layer). */
  receiveStray2xx(res: SipResponse): void {
    const winner = this.#winner;
    if (winner && winner.state !== 'terminated' && res.toTag === winner.remoteTag) winner.receiveRetransmitted2xx(res);
    else this.#ackAndBye(res);
  }

  /** The layer is closing (internal). */
  close(): void {
    this.#settle({ ok: false, status: 503, reason: 'Service Unavailable', cause: 'closed' });
    for (const d of this.#early.values()) d.end('closed', { remote: false });
    this.#tx?.terminate();
    this.#txDone = true;
    this.#finish();
  }

  #send(request: SipRequest): void {
    this.#request = request;
    const attempt = {};
    this.#attempt = attempt;
    const current = (): boolean => this.#attempt === attempt;
    const user: ClientTransactionUser = {
      onResponse: (res) => {
        if (current()) this.#receive(res);
      },
      onTimeout: () => {
        if (current()) this.#failed(408, 'Request Timeout', 'timeout');
      },
      onTransportError: () => {
        if (current()) this.#failed(503, 'Service Unavailable', 'transport');
      },
      onTerminated: () => {
        if (!current()) return;
        this.#txDone = true;
        if (!this.#outcome) this.#failed(408, 'Request Timeout', 'timeout');
        this.#finish();
      },
    };
    const opts = this.#p.destination ? { destination: this.#p.destination } : undefined;
    try {
      const tx = this.#ctx.host.sendRequest(request, user, opts);
      if (current()) this.#tx = tx;
    } catch (err) {
      this.#ctx.log.debug({ err: errorMessage(err) }, 'INVITE could not be sent');
      this.#failed(503, 'Service Unavailable', 'transport');
      this.#txDone = true;
      this.#finish();
    }
  }

  #receive(res: SipResponse): void {
    if (res.status < 200) this.#provisionalResponse(res);
    else if (res.status < 300) this.#success(res);
    else this.#failure(res);
  }

  #provisionalResponse(res: SipResponse): void {
    if (this.#outcome) return;
    this.#provisional = true;
    if (this.#cancel && !this.#cancel.sent) this.#sendCancel();
    const tag = res.toTag;
    let dialog: Dialog | undefined;
    if (tag !== undefined && res.status > 100) {
      dialog = this.#early.get(tag);
      if (dialog) dialog.refreshTarget(res);
      else dialog = this.#newDialog(res, 'early');
    }
    const reliable = dialog !== undefined && isReliableProvisional(res);
    if (reliable && tag !== undefined) {
      let tracker = this.#rseq.get(tag);
      if (!tracker) this.#rseq.set(tag, (tracker = new RSeqTracker()));
      if (tracker.check(rseqOf(res)!) !== 'new') return;
    }
    const body = bodyOf(res);
    const offer = bodyOf(this.#request);
    if (dialog && body && offer) dialog.setSessions(offer, body);
    else if (dialog && body && reliable) dialog.setSessions(undefined, body);
    let answer: MessageInit | undefined;
    this.#emitter.emit('progress', {
      response: res,
      status: res.status,
      dialog,
      reliable,
      body,
      answer: (init) => {
        answer = init;
      },
    });
    if (!reliable || !dialog) return;
    if (body) this.#offerDone = true;
    const local = bodyOfInit(answer);
    if (local) dialog.setSessions(local, undefined);
    const rack = formatRAck({ rseq: rseqOf(res)!, cseq: res.cseq.seq, method: 'INVITE' });
    dialog.request('PRACK', { ...answer, headers: { ...answer?.headers, RAck: rack } }).catch((err: unknown) => {
      this.#ctx.log.debug({ err: errorMessage(err) }, 'PRACK not sent');
    });
  }

  #success(res: SipResponse): void {
    const winner = this.#winner;
    if (winner) {
      if (res.toTag === winner.remoteTag) winner.receiveRetransmitted2xx(res);
      else this.#ackAndBye(res);
      return;
    }
    if (this.#outcome || this.#cancel) {
      // Answered while (or after) we cancelled: acknowledge, then hang up (section 9.1, 15).
      this.#ackAndBye(res);
      this.#endEarly('cancelled', res);
      this.#failed(487, 'Request Terminated', this.#cancel?.cause ?? 'cancelled', res);
      return;
    }
    const tag = res.toTag ?? '';
    let dialog = this.#early.get(tag);
    if (dialog?.state === 'terminated') dialog = undefined;
    if (dialog) {
      this.#early.delete(tag);
      dialog.confirm(res);
    } else {
      dialog = this.#newDialog(res, 'confirmed');
    }
    dialog.setPeerAllow(allowOf(res));
    this.#winner = dialog;
    this.#endEarly('forked', res);
    this.#timers.clear();
    const offer = bodyOf(this.#request);
    const body = bodyOf(res);
    let lateOffer: SessionBody | undefined;
    if (offer) dialog.setSessions(offer, body);
    else if (body && !this.#offerDone) {
      lateOffer = body;
      dialog.setSessions(undefined, body);
    }
    if (this.#ctx.config.sessionTimer.enabled) dialog.startSessionTimer(sessionFromResponse(res));
    if (lateOffer) dialog.expectAck(this.#request, this.#p.ackTimeout);
    else dialog.sendAck(this.#request);
    this.#settle({ ok: true, dialog, response: res, offer: lateOffer });
  }

  #failure(res: SipResponse): void {
    if (this.#outcome) return;
    const status = res.status;
    if ((status === 401 || status === 407) && !this.#cancel) {
      const retry = this.#p.auth.retry(this.#request, res, this.#request.cseq.seq + 1, this.#chain);
      if (retry) return this.#send(retry);
    }
    const minSE = status === 422 ? parseMinSE(res) : undefined;
    if (minSE !== undefined && !this.#cancel && this.#intervalRounds < MAX_INTERVAL_ROUNDS) {
      this.#intervalRounds++;
      const retry = this.#request.clone();
      retry.headers.remove('via');
      retry.headers.set('CSeq', `${this.#request.cseq.seq + 1} INVITE`);
      retry.headers.set('Session-Expires', String(minSE));
      retry.headers.set('Min-SE', String(minSE));
      return this.#send(retry);
    }
    this.#endEarly('rejected', res);
    const cause: InviteFailureCause = this.#cancel?.cause ?? (status < 400 ? 'redirected' : 'rejected');
    this.#failed(status, res.reason, cause, res);
  }

  #failed(status: number, reason: string, cause: InviteFailureCause, response?: SipResponse): void {
    if (this.#outcome) return;
    this.#endEarly('rejected', response);
    const c = this.#cancel && (cause === 'timeout' || cause === 'rejected') ? this.#cancel.cause : cause;
    this.#settle(response ? { ok: false, status, reason, cause: c, response } : { ok: false, status, reason, cause: c });
  }

  #settle(outcome: InviteResult): void {
    if (this.#outcome) return;
    this.#outcome = outcome;
    this.#timers.clear(false);
    this.#resolve(outcome);
    this.#emitter.emit('result', outcome);
  }

  #requestCancel(cause: InviteFailureCause): void {
    if (this.#outcome || this.#winner || this.#cancel) return;
    this.#cancel = { cause, sent: false };
    this.#timers.cancel('no-answer');
    if (this.#provisional) this.#sendCancel();
  }

  #sendCancel(): void {
    const c = this.#cancel;
    const tx = this.#tx;
    if (!c || c.sent || !tx) return;
    c.sent = true;
    const cancel = cancelFor(this.#request);
    const destination = this.#p.destination ?? this.#ctx.host.destinationOf?.(tx);
    try {
      this.#ctx.host.sendRequest(cancel, { onResponse: () => {} }, destination ? { destination } : undefined);
    } catch (err) {
      this.#ctx.log.debug({ err: errorMessage(err) }, 'CANCEL could not be sent');
    }
    this.#timers.set('cancel', 64 * this.#ctx.host.timers.T1, () => {
      this.#failed(408, 'Request Timeout', c.cause);
      this.#tx?.terminate();
    });
  }

  #newDialog(res: SipResponse, phase: 'early' | 'confirmed'): Dialog {
    // Only a destination the application chose pins the dialog to a flow; otherwise requests follow the
    // route set and remote target (section 12.2.1.1).
    const flow = flowFor(this.#ctx.config, this.#p.destination);
    const dialog = new Dialog(this.#ctx, this.#registry, {
      state: DialogState.forUac(this.#request, res, this.#p.contact),
      role: 'uac',
      phase,
      auth: this.#p.auth,
      ...(flow ? { flow } : {}),
      ...(allowOf(res) ? { peerAllow: allowOf(res) } : {}),
    });
    if (phase === 'early' && res.toTag !== undefined) this.#early.set(res.toTag, dialog);
    return dialog;
  }

  #endEarly(reason: 'rejected' | 'forked' | 'cancelled', response?: SipResponse): void {
    const remote = reason === 'rejected' && response !== undefined;
    for (const d of this.#early.values()) d.end(reason, response ? { remote, response } : { remote });
    this.#early.clear();
  }

  #ackAndBye(res: SipResponse): void {
    const flow = flowFor(this.#ctx.config, this.#p.destination);
    ackAndBye(this.#ctx, this.#request, res, {
      contact: this.#p.contact,
      auth: this.#p.auth,
      ...(flow ? { destination: flow } : {}),
    });
  }

  #finish(): void {
    if (this.#done || !this.#txDone) return;
    this.#done = true;
    this.#timers.clear();
    this.#onDone(this);
  }
}

function allowOf(res: SipResponse): string[] | undefined {
  try {
    return res.headers.has('allow') ? res.headers.values('allow') : undefined;
  } catch {
    return undefined;
  }
}

