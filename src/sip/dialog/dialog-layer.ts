/**
 * The dialog layer (RFC 3261 sections 12-15, RFC 3262, RFC 3311, RFC 3515, RFC 4028, RFC 6026) between the
 * transaction layer and the application, driven by the stack through DialogHost:
 *
 * - receiveRequest(): an INVITE without To tag becomes an IncomingInvite (after the checks of section
 *   8.2.2: 420 Bad Extension with Unsupported for an unknown Require, 482 Loop Detected for a merged
 *   request, and RFC 4028's 422 with Min-SE); a request with a To tag goes to its dialog (Call-ID, local
 *   tag, remote tag) or is answered 481; other requests outside a dialog are left to the stack (false);
 * - receiveAck(): the ACK for a 2xx of ours (section 13.3.1.4);
 * - receiveCancel(): 200 to the CANCEL and 487 to the INVITE still unanswered (section 9.2), 481 when it
 *   matches no INVITE;
 * - receiveStrayResponse(): a 2xx retransmitted after its INVITE transaction ended gets the same ACK
 *   again; a 2xx of a dialog we do not have (a late fork) is ACKed and BYEd (section 13.2.2.4) when it
 *   answers one of our recent INVITEs (the last 64*T1), and dropped otherwise;
 * - invite(): an OutgoingInvite.
 *
 * close() ends everything it owns without sending BYE (unanswered INVITEs get 503) and is idempotent.
 */
import { errorMessage, newTag, randomToken, type Logger } from '../../lib/index.ts';
import type { SipRequest, SipResponse } from '../message/index.ts';
import { SipParseError } from '../message/index.ts';
import type { ServerTransaction } from '../transaction/index.ts';
import type { Destination } from '../transport/index.ts';
import { AuthSession, type DigestUserCredentials } from './auth-session.ts';
import type { DialogConfig, DialogContext, SessionTimerConfig } from './dialog-context.ts';
import type { DialogHost } from './dialog-host.ts';
import { dialogKey, idOfRequest, idOfResponse, type DialogId } from './dialog-id.ts';
import { Dialog, type DialogRegistry } from './dialog.ts';
import { DialogError } from './errors.ts';
import { supportedTags, unsupportedRequirements } from './extensions.ts';
import { IncomingInvite } from './incoming-invite.ts';
import { buildInvite, destinationHint, type InviteRequestOptions } from './invite-request.ts';
import { OutgoingInvite } from './outgoing-invite.ts';
import { buildResponse, type ResponseInit } from './response-builder.ts';
import { MIN_SE_FLOOR, negotiateAsUas } from './session-timer-negotiation.ts';

export interface DialogLayerHandlers {
  /** A new call. Answer it (progress/accept/reject) now or later; an exception rejects it with 500. */
  onInvite(invite: IncomingInvite): void;
}

export interface DialogLayerOptions {
  sessionTimer?: Partial<SessionTimerConfig>;
  /** User-Agent (requests) and Server (responses) header value. */
  userAgent?: string;
  /** See DialogConfig.flowReuse (default 'stream'). */
  flowReuse?: DialogConfig['flowReuse'];
  /** How long a deferred request may wait for the application's answer, ms (default 32*T1). */
  deferTimeout?: number;
  /** Random source in [0, 1) for glare back-off and Retry-After (default Math.random). */
  random?: () => number;
}

export interface InviteOptions extends InviteRequestOptions {
  /** Where to send the INVITE (and, over a stream, the dialog's requests); default: the host decides. */
  destination?: Destination;
  /** Credentials for 401/407 challenges (the INVITE and the dialog's requests). */
  auth?: DigestUserCredentials;
  /** Cancels the INVITE when no final response arrived within this many ms (cause 'no-answer'). */
  timeout?: number;
  /** How long the application may take to ack() a 2xx carrying the offer, ms (default 32*T1). */
  ackTimeout?: number;
}

interface Recent {
  invite: OutgoingInvite;
  until: number;
}

export class DialogLayer {
  readonly #host: DialogHost;
  readonly #handlers: DialogLayerHandlers;
  readonly #ctx: DialogContext;
  readonly #log: Logger;
  readonly #dialogs = new Map<string, Dialog>();
  readonly #incoming = new Map<ServerTransaction, IncomingInvite>();
  readonly #merged = new Map<string, IncomingInvite>();
  readonly #outgoing = new Set<OutgoingInvite>();
  readonly #recent = new Map<string, Recent>();
  readonly #registry: DialogRegistry;
  #closed = false;

  constructor(host: DialogHost, handlers: DialogLayerHandlers, options: DialogLayerOptions = {}) {
    this.#host = host;
    this.#handlers = handlers;
    this.#log = host.log.child({ layer: 'dialog' });
    const st = options.sessionTimer ?? {};
    const config: DialogConfig = {
      sessionTimer: {
        enabled: st.enabled ?? true,
        expires: st.expires ?? 1800,
        minSE: Math.max(MIN_SE_FLOOR, st.minSE ?? MIN_SE_FLOOR),
        refresher: st.refresher ?? 'uac',
      },
      userAgent: options.userAgent,
      flowReuse: options.flowReuse ?? 'stream',
      deferTimeout: options.deferTimeout ?? 32 * host.timers.T1,
    };
    this.#ctx = { host, config, log: this.#log, random: options.random ?? Math.random };
    this.#registry = {
      add: (d) => this.#dialogs.set(d.key, d),
      remove: (d) => {
        if (this.#dialogs.get(d.key) === d) this.#dialogs.delete(d.key);
      },
    };
  }

  /** Live objects, for tests and metrics. */
  get counts(): { dialogs: number; incoming: number; outgoing: number } {
    return { dialogs: this.#dialogs.size, incoming: this.#incoming.size, outgoing: this.#outgoing.size };
  }

  /** The live dialogs (early and confirmed) by key. */
  get dialogs(): ReadonlyMap<string, Dialog> {
    return this.#dialogs;
  }

  get closed(): boolean {
    return this.#closed;
  }

  findDialog(id: DialogId): Dialog | undefined {
    return this.#dialogs.get(dialogKey(id));
  }

  /**
   * Every request the transaction layer passes up except CANCEL and the ACK for a 2xx. Returns false
   * only for a request outside any dialog that is not an INVITE (REGISTER, OPTIONS, MESSAGE ...).
   */
  receiveRequest(req: SipRequest, tx: ServerTransaction, source: Destination): boolean {
    try {
      const hasToTag = req.toTag !== undefined;
      if (!hasToTag && req.method !== 'INVITE') return false;
      if (this.#closed) {
        this.#reply(req, tx, hasToTag ? 481 : 503);
        return true;
      }
      if (!hasToTag) {
        this.#newInvite(req, tx, source);
        return true;
      }
      const id = idOfRequest(req);
      const dialog = id && this.#dialogs.get(dialogKey(id));
      if (!dialog) {
        this.#reply(req, tx, 481);
        return true;
      }
      dialog.receiveRequest(req, tx);
    } catch (err) {
      this.#log.debug({ err: errorMessage(err), method: req.method }, 'request could not be handled');
      if (!tx.answered) {
        const reason = err instanceof SipParseError ? err.reason : 'Server Internal Error';
        this.#reply(req, tx, err instanceof SipParseError ? 400 : 500, { reason });
      }
    }
    return true;
  }

  /** The ACK for a 2xx (section 13.3.1.4), outside any transaction or from an Accepted one. */
  receiveAck(ack: SipRequest, _source: Destination, _inviteTx?: ServerTransaction): void {
    try {
      const id = idOfRequest(ack);
      if (id) this.#dialogs.get(dialogKey(id))?.receiveAck(ack);
    } catch (err) {
      this.#log.debug({ err: errorMessage(err) }, 'ACK dropped');
    }
  }

  /** A CANCEL with the INVITE server transaction it matches (section 9.2). */
  receiveCancel(cancel: SipRequest, cancelTx: ServerTransaction, inviteTx: ServerTransaction | undefined, _source: Destination): void {
    try {
      if (!inviteTx) {
        this.#reply(cancel, cancelTx, 481);
        return;
      }
      const incoming = this.#incoming.get(inviteTx);
      // Section 9.2: the 200 to the CANCEL carries the To tag of the INVITE's responses.
      cancelTx.respond(buildResponse(this.#ctx, cancel, 200, undefined, incoming ? { toTag: incoming.localTag } : {}));
      if (incoming) {
        incoming.receiveCancel(cancel);
        return;
      }
      const id = idOfRequest(cancel);
      const dialog = id && this.#dialogs.get(dialogKey(id));
      if (dialog?.receiveCancel(inviteTx)) return;
      const invite = inviteTx.request;
      if (!inviteTx.answered && invite) inviteTx.respond(buildResponse(this.#ctx, invite, 487, undefined, { toTag: newTag() }));
    } catch (err) {
      this.#log.debug({ err: errorMessage(err) }, 'CANCEL could not be handled');
    }
  }

  /** A response no client transaction matched (section 17.1.3): only INVITE 2xx matter here. */
  receiveStrayResponse(res: SipResponse, _source: Destination): void {
    try {
      if (res.status < 200 || res.status >= 300 || res.cseq.method !== 'INVITE') return;
      const id = idOfResponse(res);
      if (!id) return;
      const dialog = this.#dialogs.get(dialogKey(id));
      if (dialog) {
        // The 2xx of our initial INVITE or of a re-INVITE we sent (either side may send those).
        dialog.receiveRetransmitted2xx(res);
        return;
      }
      const recent = this.#recentInvite(id.callId, id.localTag);
      if (recent) recent.receiveStray2xx(res);
      else this.#log.debug({ callId: id.callId }, 'stray 2xx for an unknown INVITE dropped');
    } catch (err) {
      this.#log.debug({ err: errorMessage(err) }, 'stray response dropped');
    }
  }

  /** Starts a call. Throws SIP_DIALOG_CLOSED after close(), SIP_DIALOG_INVALID for bad addresses. */
  invite(opts: InviteOptions): OutgoingInvite {
    if (this.#closed) throw new DialogError('SIP_DIALOG_CLOSED', 'the dialog layer is closed');
    const { request, contact } = buildInvite(opts, this.#ctx.config, (uri) => this.#host.contactFor(opts.destination ?? destinationHint(uri)));
    const invite = new OutgoingInvite(
      this.#ctx,
      this.#registry,
      {
        request,
        contact,
        ...(opts.destination ? { destination: opts.destination } : {}),
        auth: new AuthSession(opts.auth, this.#log),
        ...(opts.timeout !== undefined ? { timeout: opts.timeout } : {}),
        ackTimeout: opts.ackTimeout ?? 32 * this.#host.timers.T1,
      },
      (inv) => this.#outgoingDone(inv),
    );
    this.#outgoing.add(invite);
    invite.start();
    return invite;
  }

  /** Ends every INVITE and dialog (no BYE is sent) and cancels every timer. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const invite of [...this.#incoming.values()]) invite.close();
    for (const invite of [...this.#outgoing]) invite.close();
    for (const dialog of [...this.#dialogs.values()]) dialog.end('closed', { remote: false });
    this.#incoming.clear();
    this.#merged.clear();
    this.#outgoing.clear();
    this.#dialogs.clear();
    this.#recent.clear();
  }

  #newInvite(req: SipRequest, tx: ServerTransaction, source: Destination): void {
    const cfg = this.#ctx.config.sessionTimer;
    const unsupported = unsupportedRequirements(req, supportedTags(cfg.enabled));
    if (unsupported.length > 0) {
      this.#reply(req, tx, 420, { headers: { Unsupported: unsupported.join(', ') } }, true);
      return;
    }
    const mergedKey = `${req.callId}\n${req.fromTag ?? ''}\n${req.cseq.seq}`;
    const other = this.#merged.get(mergedKey);
    if (other && other.transaction !== tx) {
      this.#reply(req, tx, 482, { reason: 'Loop Detected' });
      return;
    }
    const decision = negotiateAsUas(req, cfg);
    if (decision.kind === 'reject') {
      this.#reply(req, tx, 422, { headers: { 'Min-SE': String(decision.minSE) } });
      return;
    }
    const invite = new IncomingInvite(this.#ctx, this.#registry, req, tx, source, decision, (inv) => {
      if (this.#incoming.get(tx) === inv) this.#incoming.delete(tx);
      if (this.#merged.get(mergedKey) === inv) this.#merged.delete(mergedKey);
    });
    this.#incoming.set(tx, invite);
    this.#merged.set(mergedKey, invite);
    try {
      this.#handlers.onInvite(invite);
    } catch (err) {
      this.#log.error({ err: errorMessage(err), callId: req.callId }, 'onInvite threw');
      if (invite.state === 'pending') invite.reject(500, 'Server Internal Error');
    }
  }

  #outgoingDone(invite: OutgoingInvite): void {
    this.#outgoing.delete(invite);
    if (this.#closed) return;
    const now = this.#host.clock.now();
    this.#prune(now);
    const key = `${invite.callId}\n${invite.localTag}`;
    // Re-inserted, not updated in place, so that the map stays in expiry order.
    this.#recent.delete(key);
    this.#recent.set(key, { invite, until: now + 64 * this.#host.timers.T1 });
  }

  #recentInvite(callId: string, localTag: string): OutgoingInvite | undefined {
    const key = `${callId}\n${localTag}`;
    for (const invite of this.#outgoing) if (invite.callId === callId && invite.localTag === localTag) return invite;
    this.#prune(this.#host.clock.now());
    return this.#recent.get(key)?.invite;
  }

  /** Drops the recent INVITEs past their 64*T1; they are in expiry order, so the scan stops at the first live one. */
  #prune(now: number): void {
    for (const [key, r] of this.#recent) {
      if (r.until > now) return;
      this.#recent.delete(key);
    }
  }

  #reply(req: SipRequest, tx: ServerTransaction, status: number, init?: ResponseInit, capabilities = false): void {
    const toTag = req.method === 'INVITE' && status > 100 ? randomToken(12) : undefined;
    tx.respond(buildResponse(this.#ctx, req, status, init, { ...(toTag ? { toTag } : {}), capabilities }));
  }
}
