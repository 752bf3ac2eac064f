/**
 * Changing an established session (RFC 3261 section 14, RFC 3311, RFC 4028 section 10) in one dialog:
 *
 * - sending re-INVITE or UPDATE (reinvite()/update()): target refresh from the 2xx's Contact; the ACK for
 *   a re-INVITE 2xx (with the answer for a late offer); 491 Request Pending makes the request go again
 *   after a random wait (section 14.1: 2.1-4 s when this side owns the Call-ID, 0-2 s otherwise, in 10 ms
 *   steps); 422 Session Interval Too Small raises Session-Expires to the Min-SE asked for; 481 or 408 ends
 *   the dialog (section 12.2.1.2);
 * - receiving them: 491 when an INVITE (or offer) of ours is in progress, 500 with Retry-After when an
 *   earlier one of theirs is still unanswered (section 14.2, RFC 3311 section 5.2), 422 for a session
 *   interval below our Min-SE, else an IncomingSessionUpdate for the application;
 * - the session timer's refresh (UPDATE when the peer allows it, else re-INVITE with the current
 *   session description).
 */
import { errorMessage, type TimerHandle } from '../../lib/index.ts';
import type { SipRequest, SipResponse } from '../message/index.ts';
import { formatNameAddr } from '../message/index.ts';
import type { ServerTransaction } from '../transaction/index.ts';
import type { DialogPort } from './dialog-port.ts';
import type { SessionUpdateResult } from './dialog-events.ts';
import { DialogError } from './errors.ts';
import { allows, supportedTags } from './extensions.ts';
import { IncomingSessionUpdate, type SessionUpdateHooks } from './incoming-session-update.ts';
import { buildResponse } from './response-builder.ts';
import { bodyOf, bodyOfInit, type HeaderInit, type MessageInit, type SessionBody } from './session-body.ts';
import { negotiateAsUas, parseMinSE, sessionFromResponse, uacSessionHeaders, type UasDecision } from './session-timer-negotiation.ts';

export interface SessionUpdateOptions extends MessageInit {
  /**
   * Late-offer re-INVITE (sent without a body): gives the answer to put in the ACK from the offer in the
   * 2xx. Without it the ACK has no body.
   */
  answer?: (offer: SessionBody) => MessageInit | undefined;
}

const MAX_GLARE_ROUNDS = 4;
const MAX_INTERVAL_ROUNDS = 2;

export class SessionUpdates {
  readonly #port: DialogPort;
  #outgoing: { method: string; offer: boolean } | undefined;
  #waiting = false;
  #wake: (() => void) | undefined;
  #incoming: IncomingSessionUpdate | undefined;
  #minSE: number | undefined;

  constructor(port: DialogPort) {
    this.#port = port;
  }

  /** Whether an offer or INVITE is in progress in either direction (or a glare back-off runs). */
  get busy(): boolean {
    return this.#outgoing !== undefined || this.#waiting || this.#incoming !== undefined;
  }

  /** Sends a re-INVITE or UPDATE; resolves with the outcome (a rejection is a value). */
  async send(method: 'INVITE' | 'UPDATE', opts: SessionUpdateOptions = {}): Promise<SessionUpdateResult> {
    const port = this.#port;
    if (port.phase === 'terminated') throw new DialogError('SIP_DIALOG_TERMINATED', `cannot send ${method}: the dialog has ended`);
    if (method === 'INVITE' && port.phase !== 'confirmed') throw new DialogError('SIP_DIALOG_STATE', 're-INVITE needs a confirmed dialog');
    if (this.busy) throw new DialogError('SIP_DIALOG_PENDING', `cannot send ${method}: an INVITE or offer is in progress`);
    let glare = 0;
    let interval = 0;
    for (;;) {
      const { response, result } = await this.#once(method, opts);
      if (response.status === 491 && glare < MAX_GLARE_ROUNDS && !this.#ended()) {
        glare++;
        await this.#backOff();
        if (this.#ended()) return result;
        continue;
      }
      const min = response.status === 422 ? parseMinSE(response) : undefined;
      if (min !== undefined && interval < MAX_INTERVAL_ROUNDS && min > (this.#minSE ?? 0)) {
        interval++;
        this.#minSE = min;
        continue;
      }
      return result;
    }
  }

  /** A re-INVITE or UPDATE received in the dialog (its CSeq already checked). */
  receive(req: SipRequest, tx: ServerTransaction): void {
    const port = this.#port;
    const offer = bodyOf(req);
    const isInvite = req.method === 'INVITE';
    const reply = (status: number, headers?: HeaderInit): void => {
      tx.respond(buildResponse(port.ctx, req, status, headers ? { headers } : undefined));
    };
    const retryAfter = (): HeaderInit => ({ 'Retry-After': String(Math.floor(port.ctx.random() * 11)) });
    const out = this.#outgoing;
    if (isInvite) {
      if (port.phase !== 'confirmed' || out?.method === 'INVITE' || out?.offer) return reply(491);
      if (this.#incoming) return reply(500, retryAfter());
    } else if (offer) {
      if (out?.offer) return reply(491);
      if (this.#incoming) return reply(500, retryAfter());
    }
    // RFC 4028 applies to the session: an UPDATE in an early dialog negotiates no timer.
    const decision: UasDecision =
      port.phase === 'confirmed'
        ? negotiateAsUas(req, port.ctx.config.sessionTimer, port.sessionTimer.current)
        : { kind: 'accept', headers: [], session: undefined };
    if (decision.kind === 'reject') return reply(422, { 'Min-SE': String(decision.minSE) });
    const ev = new IncomingSessionUpdate(req, tx, port.ctx, this.#hooks(req, tx, decision));
    if (isInvite || offer) this.#incoming = ev;
    port.trackPending(ev);
    port.emit(isInvite ? 'reinvite' : 'update', ev);
    if (ev.state === 'pending') this.#answerByDefault(ev);
  }

  /** A CANCEL for a re-INVITE still unanswered: 487 (section 9.2). Returns whether it matched. */
  cancel(inviteTx: ServerTransaction): boolean {
    const ev = this.#incoming;
    if (!ev || !ev.isReinvite || ev.request !== inviteTx.request || ev.replied) return false;
    ev.settle(487);
    return true;
  }

  /** The session timer asks this side to refresh (RFC 4028 section 10). */
  refresh(): void {
    const port = this.#port;
    if (port.phase !== 'confirmed') return;
    if (this.busy) {
      port.sessionTimer.retryRefresh(4 * port.ctx.host.timers.T1);
      return;
    }
    const useUpdate = allows(port.peerAllow, 'UPDATE');
    const local = port.localSession;
    const init: MessageInit = !useUpdate && local ? { body: local.body, contentType: local.contentType } : {};
    this.send(useUpdate ? 'UPDATE' : 'INVITE', init).then(
      (r) => {
        if (!r.ok && port.phase === 'confirmed') port.sessionTimer.refreshFailed();
      },
      (err: unknown) => port.log.debug({ err: errorMessage(err) }, 'session refresh not sent'),
    );
  }

  /** The dialog ended: wake a glare back-off so that its caller returns. */
  close(): void {
    this.#wake?.();
  }

  #ended(): boolean {
    return this.#port.phase === 'terminated';
  }

  async #once(method: 'INVITE' | 'UPDATE', opts: SessionUpdateOptions): Promise<{ response: SipResponse; result: SessionUpdateResult }> {
    const port = this.#port;
    const cfg = port.ctx.config.sessionTimer;
    const offer = bodyOfInit(opts);
    const headers: Record<string, string | readonly string[]> = { Supported: supportedTags(cfg.enabled).join(', ') };
    for (const [name, value] of uacSessionHeaders(cfg, { current: port.sessionTimer.current, minSE: this.#minSE })) headers[name] = value;
    this.#outgoing = { method, offer: offer !== undefined };
    let sent;
    try {
      sent = await port.send(method, { ...opts, headers: { ...headers, ...opts.headers } }, method === 'INVITE' ? {
        onExtraSuccess: (res) => port.resendAck(res.cseq.seq),
      } : undefined);
    } finally {
      this.#outgoing = undefined;
    }
    const { response, request } = sent;
    if (response.status >= 300) {
      if (response.status === 481 || response.status === 408) port.end('request-failed', { remote: false, bye: response.status === 408, response });
      return { response, result: { ok: false, status: response.status, reason: response.reason, response } };
    }
    const remote = bodyOf(response);
    if (method === 'INVITE') {
      let ackInit: MessageInit | undefined;
      if (!offer && remote && opts.answer) {
        try {
          ackInit = opts.answer(remote);
        } catch (err) {
          port.log.error({ err: errorMessage(err) }, 'late-offer answer callback threw');
        }
      }
      port.sendAck(request, ackInit);
      if (!offer) this.#exchanged(bodyOfInit(ackInit), remote);
    }
    if (port.phase === 'terminated') return { response, result: { ok: true, response, answer: remote } };
    if (port.state.refreshTarget(response)) port.emit('targetRefresh', { target: port.state.remoteTarget });
    if (offer) this.#exchanged(offer, remote);
    const session = cfg.enabled ? sessionFromResponse(response) : undefined;
    port.sessionTimer.start(session);
    port.emit('sessionTimer', session);
    return { response, result: { ok: true, response, answer: remote } };
  }

  #exchanged(local: SessionBody | undefined, remote: SessionBody | undefined): void {
    const port = this.#port;
    if (!local && !remote) return;
    if (local) port.localSession = local;
    if (remote) port.remoteSession = remote;
    if (port.phase !== 'terminated') port.emit('session', { local: port.localSession, remote: port.remoteSession });
  }

  #hooks(req: SipRequest, tx: ServerTransaction, decision: Extract<UasDecision, { kind: 'accept' }>): SessionUpdateHooks {
    const port = this.#port;
    return {
      prepare: (_ev, res) => {
        if (res.status < 200 || res.status >= 300) return;
        if (!res.headers.has('contact')) res.headers.append('Contact', formatNameAddr({ uri: port.state.localContact, params: {} }));
        for (const [name, value] of decision.headers) res.headers.set(name, value);
      },
      transmit: (ev, res) => {
        if (!ev.isReinvite || res.status < 200 || res.status >= 300) return tx.respond(res);
        return port.sendSuccess(tx, res, {
          onAck: (ack) => {
            const body = bodyOf(ack);
            if (!ev.offer && body) this.#exchanged(undefined, body);
            port.emit('ack', { request: ack, body });
          },
        });
      },
      sent: (ev, res) => {
        if (this.#incoming === ev) this.#incoming = undefined;
        if (res.status < 200 || res.status >= 300 || port.phase === 'terminated') return;
        if (port.state.refreshTarget(req)) port.emit('targetRefresh', { target: port.state.remoteTarget });
        const body = bodyOf(res);
        if (ev.offer) this.#exchanged(body, ev.offer);
        else if (ev.isReinvite && body) port.localSession = body;
        if (port.phase !== 'confirmed') return;
        port.sessionTimer.start(decision.session);
        port.emit('sessionTimer', decision.session);
      },
    };
  }

  #answerByDefault(ev: IncomingSessionUpdate): void {
    const local = this.#port.localSession;
    const needsBody = ev.isReinvite || ev.offer !== undefined;
    if (!needsBody) ev.accept();
    else if (local) ev.accept({ body: local.body, contentType: local.contentType });
    else ev.reject(488);
  }

  #backOff(): Promise<void> {
    const port = this.#port;
    const clock = port.ctx.host.clock;
    const r = port.ctx.random();
    const ms = port.role === 'uac' ? 2100 + Math.floor(r * 191) * 10 : Math.floor(r * 201) * 10;
    this.#waiting = true;
    return new Promise<void>((resolve) => {
      let handle: TimerHandle | undefined;
      const finish = (): void => {
        handle?.cancel();
        this.#waiting = false;
        this.#wake = undefined;
        resolve();
      };
      const arm = (): void => {
        handle = clock.setTimeout(() => {
          // Their INVITE is still being answered: wait again before sending ours (section 14.1).
          if (this.#incoming && port.phase === 'confirmed') arm();
          else finish();
        }, ms);
      };
      this.#wake = finish;
      arm();
    });
  }
}
