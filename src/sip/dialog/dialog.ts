/**
 * A SIP dialog (RFC 3261 sections 12-15), early or confirmed, on either side of the call:
 *
 * - requests received in it (section 12.2.2): CSeq lower than the remote sequence number -> 500; BYE ->
 *   200 and the end of the dialog (section 15.1.2, pending requests answered 487); re-INVITE and UPDATE
 *   (section 14, RFC 3311) through SessionUpdates; PRACK to the early-dialog owner (RFC 3262); REFER and
 *   its NOTIFYs (RFC 3515) through ReferUsages; INFO, MESSAGE, OPTIONS and other NOTIFYs to the
 *   application (see incoming-request.ts for the reply rules); other methods the stack knows -> 405
 *   with Allow (section 8.2.1), methods it does not know -> 501 (section 21.5.2);
 * - requests sent in it (section 12.2.1.1) through the host, answering 401/407 with the credentials of
 *   the INVITE; a 481 or 408 ends the dialog (section 12.2.1.2);
 * - the ACK for a 2xx (section 13.2.2.4), kept and sent again for each retransmitted 2xx; the UAS's 2xx
 *   retransmitted until the ACK, with BYE when it never comes (section 13.3.1.4); a UAS BYE waits for
 *   the ACK (section 15);
 * - the RFC 4028 session timer: refresh when this side is the refresher, BYE when the peer's refresh
 *   does not come.
 */
import type { Listener } from '../../lib/index.ts';
import type { NameAddr, SipRequest, SipResponse, SipUri } from '../message/index.ts';
import type { ServerTransaction } from '../transaction/index.ts';
import type { Destination } from '../transport/index.ts';
import type { AuthSession } from './auth-session.ts';
import type { DialogContext } from './dialog-context.ts';
import { DialogCore } from './dialog-core.ts';
import type { DialogEndReason, DialogEvents, DialogTerminated, SessionUpdateResult } from './dialog-events.ts';
import { dialogKey, type DialogId } from './dialog-id.ts';
import type { AckHandlers, DialogPhase, EndOptions } from './dialog-port.ts';
import type { DialogState } from './dialog-state.ts';
import { DialogError } from './errors.ts';
import { ALLOW_VALUE, KNOWN_METHODS } from './extensions.ts';
import { IncomingDialogRequest } from './incoming-request.ts';
import type { ReplacesTarget } from './incoming-refer.ts';
import { ReferUsages, type ReferOptions } from './refer-usages.ts';
import type { ReferSubscription } from './refer-subscription.ts';
import { buildResponse } from './response-builder.ts';
import { bodyOf, bodyOfInit, type MessageInit, type SessionBody } from './session-body.ts';
import type { SessionInterval } from './session-timer-negotiation.ts';
import { SessionUpdates, type SessionUpdateOptions } from './session-updates.ts';

/** Where a dialog files itself while it lives (the dialog layer). */
export interface DialogRegistry {
  add(dialog: Dialog): void;
  remove(dialog: Dialog): void;
}

/** What the owner of a UAS early dialog (the IncomingInvite) handles. */
export interface EarlyDialogHooks {
  /** A PRACK in the early dialog; returns true when it answered it. */
  onPrack(req: SipRequest, tx: ServerTransaction): boolean;
  /** The caller sent BYE in the early dialog: its INVITE is to be ended (487). */
  onBye(req: SipRequest): void;
}

export interface DialogInit {
  state: DialogState;
  role: 'uac' | 'uas';
  phase: 'early' | 'confirmed';
  /** The flow (connection) requests should use, when kept (see DialogConfig.flowReuse). */
  flow?: Destination;
  auth?: AuthSession;
  peerAllow?: readonly string[];
}

/** Methods that have their own API (or no place in request()). */
const DEDICATED = new Set(['INVITE', 'ACK', 'CANCEL', 'BYE', 'UPDATE', 'REFER']);
const GENERIC = new Set(['INFO', 'MESSAGE', 'OPTIONS', 'NOTIFY']);

export class Dialog {
  readonly id: DialogId;
  readonly key: string;
  /** 'uac': this side sent the INVITE; 'uas': it received it. */
  readonly role: 'uac' | 'uas';
  readonly #ctx: DialogContext;
  readonly #core: DialogCore;
  readonly #updates: SessionUpdates;
  readonly #refers: ReferUsages;
  #early: EarlyDialogHooks | undefined;

  constructor(ctx: DialogContext, registry: DialogRegistry, init: DialogInit) {
    this.#ctx = ctx;
    this.id = init.state.id;
    this.key = dialogKey(this.id);
    this.role = init.role;
    this.#core = new DialogCore(ctx, init, { refresh: () => this.#updates.refresh() });
    this.#updates = new SessionUpdates(this.#core);
    this.#refers = new ReferUsages(this.#core);
    this.#core.onEnd(() => {
      this.#early = undefined;
      this.#updates.close();
      this.#refers.close();
      registry.remove(this);
    });
    registry.add(this);
  }

  // ---- state ---------------------------------------------------------------------------------------

  get state(): DialogPhase {
    return this.#core.phase;
  }

  get callId(): string {
    return this.id.callId;
  }

  get localTag(): string {
    return this.id.localTag;
  }

  get remoteTag(): string {
    return this.id.remoteTag;
  }

  get localUri(): NameAddr {
    return this.#core.state.localUri;
  }

  get remoteUri(): NameAddr {
    return this.#core.state.remoteUri;
  }

  get remoteTarget(): SipUri {
    return this.#core.state.remoteTarget;
  }

  get routeSet(): readonly NameAddr[] {
    return this.#core.state.routeSet;
  }

  get secure(): boolean {
    return this.#core.state.secure;
  }

  get localSeq(): number | undefined {
    return this.#core.state.localSeq;
  }

  get remoteSeq(): number | undefined {
    return this.#core.state.remoteSeq;
  }

  /** The last session description this side sent in an offer/answer exchange. */
  get localSession(): SessionBody | undefined {
    return this.#core.localSession;
  }

  /** The last session description the peer sent (its offer or answer). */
  get remoteSession(): SessionBody | undefined {
    return this.#core.remoteSession;
  }

  /** The running RFC 4028 session timer, if any. */
  get sessionTimer(): SessionInterval | undefined {
    return this.#core.sessionTimer.current;
  }

  /** UAC: the 2xx carried an offer and the application still owes the ACK with the answer (ack()). */
  get awaitingAck(): boolean {
    return this.#core.acks.awaitingApp;
  }

  /** Why and how the dialog ended, once it has. */
  get ended(): DialogTerminated | undefined {
    return this.#core.ended;
  }

  /** The Replaces value that names this dialog to a third party (RFC 3891 section 3). */
  get replacesTarget(): ReplacesTarget {
    return { callId: this.id.callId, toTag: this.id.remoteTag, fromTag: this.id.localTag };
  }

  on<K extends keyof DialogEvents>(event: K, listener: Listener<DialogEvents[K]>): () => void {
    return this.#core.emitter.on(event, listener);
  }

  once<K extends keyof DialogEvents>(event: K, listener: Listener<DialogEvents[K]>): () => void {
    return this.#core.emitter.once(event, listener);
  }

  off<K extends keyof DialogEvents>(event: K, listener: Listener<DialogEvents[K]>): void {
    this.#core.emitter.off(event, listener);
  }

  // ---- application API -----------------------------------------------------------------------------

  /**
   * Ends the dialog with BYE (section 15.1.1); 'terminated' is emitted at once. Resolves with the BYE's
   * final response, or undefined when the dialog had already ended. A UAS still waiting for the ACK of
   * its 2xx sends the BYE once the ACK arrives (or it gave up waiting).
   */
  bye(init?: MessageInit): Promise<SipResponse | undefined> {
    const core = this.#core;
    if (!core.alive) return Promise.resolve(undefined);
    if (core.phase === 'early' && this.role === 'uas') {
      return Promise.reject(new DialogError('SIP_DIALOG_STATE', 'a UAS ends an early dialog by rejecting the INVITE, not with BYE'));
    }
    if (this.role === 'uas' && core.acks.awaitingPeer) {
      return new Promise((resolve) => core.acks.afterPeerAck(() => resolve(this.bye(init))));
    }
    const sent = core.sendBye(init);
    core.end('bye', { remote: false });
    return sent;
  }

  /** Sends a re-INVITE (section 14.1): glare (491) is retried after the random wait; results are values. */
  reinvite(opts?: SessionUpdateOptions): Promise<SessionUpdateResult> {
    return this.#updates.send('INVITE', opts);
  }

  /** Sends an UPDATE (RFC 3311), with an offer or only to refresh the target / session timer. */
  update(opts?: MessageInit): Promise<SessionUpdateResult> {
    return this.#updates.send('UPDATE', opts);
  }

  /**
   * Sends INFO, MESSAGE, OPTIONS, NOTIFY, PRACK or another method without its own API in the dialog;
   * resolves with the final response (408/503 on timeout/transport failure). A 481 or 408 ends the
   * dialog (section 12.2.1.2), except for NOTIFY.
   */
  async request(method: string, init?: MessageInit): Promise<SipResponse> {
    const m = method.toUpperCase();
    const core = this.#core;
    if (DEDICATED.has(m)) throw new DialogError('SIP_DIALOG_INVALID', `${m} has its own method on Dialog`);
    if (!core.alive) throw new DialogError('SIP_DIALOG_TERMINATED', `cannot send ${m}: the dialog has ended`);
    const { response } = await core.send(m, init);
    // A 481/408 to a NOTIFY only concerns its subscription (RFC 5057 section 5.1).
    if ((response.status === 481 || response.status === 408) && m !== 'NOTIFY' && core.alive) {
      core.end('request-failed', { remote: false, bye: response.status === 408, response });
    }
    return response;
  }

  /** Sends a REFER (RFC 3515); the subscription reports the NOTIFYed progress. */
  refer(target: string | SipUri, opts?: ReferOptions): ReferSubscription {
    return this.#refers.refer(target, opts);
  }

  /** UAC, late offer: sends the ACK for the 2xx with the answer (section 13.2.2.4). */
  ack(init?: MessageInit): void {
    const core = this.#core;
    if (!core.acks.ackFromApp(init)) throw new DialogError('SIP_DIALOG_STATE', 'no ACK is awaited from the application');
    const local = bodyOfInit(init);
    if (local) {
      core.localSession = local;
      core.emit('session', { local, remote: core.remoteSession });
    }
  }

  // ---- used by the dialog layer, IncomingInvite and OutgoingInvite ----------------------------------

  /** A request matched to this dialog by the layer. */
  receiveRequest(req: SipRequest, tx: ServerTransaction): void {
    const core = this.#core;
    const reply = (status: number, reason?: string): void => {
      tx.respond(buildResponse(this.#ctx, req, status, reason === undefined ? undefined : { reason }));
    };
    if (!core.alive) return reply(481);
    if (!core.state.acceptRemoteSeq(req.cseq.seq)) return reply(500, 'CSeq Out of Order');
    switch (req.method) {
      case 'BYE':
        reply(200);
        this.#early?.onBye(req);
        core.end('bye', { remote: true, request: req });
        return;
      case 'INVITE':
      case 'UPDATE':
        this.#updates.receive(req, tx);
        return;
      case 'PRACK':
        if (!this.#early?.onPrack(req, tx)) reply(481);
        return;
      case 'REFER':
        this.#refers.receiveRefer(req, tx);
        return;
      case 'NOTIFY':
        if (this.#refers.receiveNotify(req, tx)) return;
        break;
      default:
        if (!GENERIC.has(req.method)) {
          const known = KNOWN_METHODS.has(req.method);
          tx.respond(buildResponse(this.#ctx, req, known ? 405 : 501, { headers: { Allow: ALLOW_VALUE } }));
          return;
        }
    }
    const ev = new IncomingDialogRequest(req, tx, this.#ctx);
    core.trackPending(ev);
    core.emit('request', ev);
    if (ev.state === 'pending') ev.reply(200);
  }

  /** The ACK for a 2xx of ours (section 13.3.1.4): stops its retransmission. */
  receiveAck(ack: SipRequest): void {
    this.#core.acks.receive(ack);
  }

  /** A CANCEL for a re-INVITE of this dialog; returns whether it matched one still unanswered. */
  receiveCancel(inviteTx: ServerTransaction): boolean {
    return this.#updates.cancel(inviteTx);
  }

  /** A 2xx to an INVITE of ours that arrived again (section 13.2.2.4): the same ACK again. */
  receiveRetransmitted2xx(res: SipResponse): void {
    this.#core.acks.resend(res.cseq.seq);
  }

  /** Early -> confirmed; a UAC recomputes the route set and target from the 2xx (section 12.1.2). */
  confirm(res?: SipResponse): void {
    const core = this.#core;
    if (core.phase !== 'early') return;
    if (res) core.state.confirmFrom(res);
    core.phase = 'confirmed';
    this.#early = undefined;
    core.emit('confirmed', undefined);
  }

  /** UAS early dialog: who handles PRACK and an early BYE (cleared on confirm/end). */
  setEarlyHooks(hooks: EarlyDialogHooks | undefined): void {
    this.#early = hooks;
  }

  setPeerAllow(allow: readonly string[] | undefined): void {
    if (allow !== undefined) this.#core.peerAllow = allow;
  }

  /** Records a completed (or half-completed) offer/answer exchange. */
  setSessions(local: SessionBody | undefined, remote: SessionBody | undefined): void {
    if (local) this.#core.localSession = local;
    if (remote) this.#core.remoteSession = remote;
  }

  /** Updates the remote target from a message's Contact (early dialog provisionals). */
  refreshTarget(msg: SipResponse | SipRequest): void {
    this.#core.state.refreshTarget(msg);
  }

  startSessionTimer(session: SessionInterval | undefined): void {
    const core = this.#core;
    if (!core.alive) return;
    core.sessionTimer.start(session);
    core.emit('sessionTimer', session);
  }

  /** UAC: sends the ACK for the 2xx to the initial INVITE (section 13.2.2.4). */
  sendAck(invite: SipRequest, init?: MessageInit): void {
    this.#core.acks.send(invite, init);
  }

  /**
   * UAC, late offer: the application must call ack() within `timeoutMs`; otherwise an ACK without
   * answer and a BYE are sent ('no-ack').
   */
  expectAck(invite: SipRequest, timeoutMs: number): void {
    this.#core.acks.expectFromApp(invite, timeoutMs, () => this.#core.end('no-ack', { remote: false, bye: true }));
  }

  /** UAS: sends a 2xx to an INVITE and retransmits it until the ACK (section 13.3.1.4). */
  sendSuccess(tx: ServerTransaction, res: SipResponse, handlers: AckHandlers): boolean {
    const core = this.#core;
    return core.sendSuccess(tx, res, {
      ...handlers,
      onAck: (ack) => {
        handlers.onAck(ack);
        core.emit('ack', { request: ack, body: bodyOf(ack) });
      },
    });
  }

  /** Ends the dialog (idempotent): timers stopped, pending requests answered 487, 'terminated' emitted. */
  end(reason: DialogEndReason, opts: EndOptions): void {
    this.#core.end(reason, opts);
  }
}
