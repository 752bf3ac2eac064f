/**
 * The REFER usages of one dialog (RFC 3515, RFC 6665 for the NOTIFY rules): sending REFER with
 * Refer-To (and an RFC 3891 Replaces URI header for an attended transfer) and routing the NOTIFYs of the
 * implicit subscription it creates by Event id; receiving REFER (400 without a single usable Refer-To)
 * and handing it to the application as an IncomingRefer whose NOTIFYs go out in the dialog.
 */
import type { SipRequest, SipUri } from '../message/index.ts';
import { formatNameAddr, parseParams, parseUri } from '../message/index.ts';
import type { ServerTransaction } from '../transaction/index.ts';
import type { DialogPort } from './dialog-port.ts';
import { DialogError } from './errors.ts';
import { IncomingRefer, formatReplaces, parseReferTo, type ReplacesTarget } from './incoming-refer.ts';
import { buildResponse } from './response-builder.ts';
import type { HeaderInit } from './session-body.ts';
import { ReferSubscription } from './refer-subscription.ts';

export interface ReferOptions {
  /** Attended transfer: the dialog the referred INVITE replaces (RFC 3891). */
  replaces?: ReplacesTarget;
  /** Referred-By (RFC 3892) value. */
  referredBy?: string;
  headers?: HeaderInit;
}

/** The Event header of a NOTIFY: package name and id parameter. */
function eventOf(req: SipRequest): { name: string; id: string | undefined } | undefined {
  const raw = req.headers.get('event');
  if (raw === undefined) return undefined;
  const semi = raw.indexOf(';');
  const name = (semi < 0 ? raw : raw.slice(0, semi)).trim().toLowerCase();
  let id: string | undefined;
  try {
    id = semi < 0 ? undefined : (parseParams(raw.slice(semi))['id'] ?? undefined);
  } catch {
    id = undefined;
  }
  return { name, id };
}

export class ReferUsages {
  readonly #port: DialogPort;
  /** Created with the first REFER: most dialogs never have one. */
  #subscriptions: Map<string, ReferSubscription> | undefined;
  #incoming: Set<IncomingRefer> | undefined;

  constructor(port: DialogPort) {
    this.#port = port;
  }

  /** Sends a REFER; the returned subscription reports the referred request's progress. */
  refer(target: string | SipUri, opts: ReferOptions = {}): ReferSubscription {
    const port = this.#port;
    if (port.phase !== 'confirmed') throw new DialogError(port.phase === 'terminated' ? 'SIP_DIALOG_TERMINATED' : 'SIP_DIALOG_STATE', 'REFER needs a confirmed dialog');
    let uri: SipUri;
    try {
      uri = typeof target === 'string' ? parseUri(target) : target;
    } catch (err) {
      throw new DialogError('SIP_DIALOG_INVALID', `bad Refer-To URI ${String(target)}`, { cause: err });
    }
    if (opts.replaces) uri = { ...uri, headers: { ...uri.headers, Replaces: formatReplaces(opts.replaces) } };
    const headers: HeaderInit = { 'Refer-To': formatNameAddr({ uri, params: {} }), ...opts.headers };
    if (opts.referredBy !== undefined) headers['Referred-By'] = opts.referredBy;
    let sub: ReferSubscription | undefined;
    const keys: string[] = [];
    const forget = (s: ReferSubscription): void => {
      const subscriptions = this.#subscriptions;
      if (subscriptions) for (const k of keys) if (subscriptions.get(k) === s) subscriptions.delete(k);
    };
    void port
      .send('REFER', { headers }, {
        onSent: (req) => {
          const key = String(req.cseq.seq);
          sub ??= new ReferSubscription(key, port.ctx, forget);
          keys.push(key);
          (this.#subscriptions ??= new Map()).set(key, sub);
        },
      })
      .then(({ response }) => {
        sub?.referAnswered(response);
        if ((response.status === 481 || response.status === 408) && port.phase !== 'terminated') {
          port.end('request-failed', { remote: false, bye: response.status === 408, response });
        }
      });
    if (!sub) throw new DialogError('SIP_DIALOG_TRANSPORT', 'REFER could not be sent');
    return sub;
  }

  /** A REFER received in the dialog. */
  receiveRefer(req: SipRequest, tx: ServerTransaction): void {
    const port = this.#port;
    if (port.phase !== 'confirmed') {
      tx.respond(buildResponse(port.ctx, req, 403, { reason: 'REFER Outside Confirmed Dialog' }));
      return;
    }
    const referTo = parseReferTo(req);
    if (!referTo) {
      tx.respond(buildResponse(port.ctx, req, 400, { reason: 'Bad Refer-To' }));
      return;
    }
    const ev = new IncomingRefer(req, tx, port.ctx, referTo, async (init) => {
      if (port.phase === 'terminated') return undefined;
      const { response } = await port.send('NOTIFY', init);
      return response;
    });
    (this.#incoming ??= new Set()).add(ev);
    port.trackPending(ev);
    port.emit('refer', ev);
    if (ev.state === 'pending') ev.reject(603);
  }

  /**
   * A NOTIFY received in the dialog: answered here when it belongs to a REFER subscription (200, or 481
   * for an unknown one); returns false for other event packages.
   */
  receiveNotify(req: SipRequest, tx: ServerTransaction): boolean {
    const event = eventOf(req);
    if (event?.name !== 'refer') return false;
    const port = this.#port;
    const subscriptions = this.#subscriptions ?? new Map<string, ReferSubscription>();
    let sub = event.id === undefined ? undefined : subscriptions.get(event.id);
    if (!sub && event.id === undefined) {
      const live = new Set(subscriptions.values());
      if (live.size === 1) sub = [...live][0];
    }
    const status = sub ? sub.receiveNotify(req) : 481;
    tx.respond(buildResponse(port.ctx, req, status));
    return true;
  }

  /** The dialog ended: every subscription ends, incoming ones send no more NOTIFYs. */
  close(): void {
    const subscriptions = this.#subscriptions;
    this.#subscriptions = undefined;
    if (subscriptions) {
      for (const sub of new Set(subscriptions.values())) {
        sub.end({ ok: false, status: 481, reason: 'Dialog terminated', stage: 'dialog' });
      }
    }
    const incoming = this.#incoming;
    this.#incoming = undefined;
    if (incoming) for (const ev of incoming) ev.end();
  }
}
