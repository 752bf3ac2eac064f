/**
 * The recipient's side of REFER (RFC 3515): the Refer-To target (with a Replaces header of RFC 3891 when
 * the transfer is attended), accept() answering 202 Accepted and sending the first NOTIFY ('100 Trying',
 * Subscription-State: active), notify() reporting the referred request's progress as message/sipfrag
 * (a final status terminates the subscription: Subscription-State: terminated;reason=noresource), and
 * reject(). Every NOTIFY carries Event: refer;id=<CSeq of the REFER>. NOTIFYs are sent one at a time,
 * in order. When nobody answers the REFER it is declined (603).
 */
import type { NameAddr, SipRequest, SipResponse } from '../message/index.ts';
import { parseNameAddr } from '../message/index.ts';
import type { ServerTransaction } from '../transaction/index.ts';
import type { DialogContext } from './dialog-context.ts';
import { DialogError } from './errors.ts';
import { PendingRequest } from './incoming-request.ts';
import type { ResponseInit } from './response-builder.ts';
import type { MessageInit } from './session-body.ts';
import { SIPFRAG_CONTENT_TYPE, formatSipfrag } from './sipfrag.ts';

/** RFC 3891 Replaces: the dialog the new call is to replace, as seen by the recipient of the INVITE. */
export interface ReplacesTarget {
  callId: string;
  toTag: string;
  fromTag: string;
  earlyOnly?: boolean;
}

/** Sends a NOTIFY in the dialog; undefined when the dialog has ended. */
export type NotifySender = (init: MessageInit) => Promise<SipResponse | undefined>;

/** The lifetime announced in Subscription-State: active (seconds). */
const NOTIFY_EXPIRES = 60;

/** The single Refer-To of a REFER (section 2.4.1), or undefined when missing, repeated or unparsable. */
export function parseReferTo(req: SipRequest): NameAddr | undefined {
  const values = req.headers.values('refer-to');
  if (values.length !== 1) return undefined;
  try {
    return parseNameAddr(values[0]!);
  } catch {
    return undefined;
  }
}

/** The Replaces carried as a header of the Refer-To URI (RFC 3891 section 6.1), if any. */
export function parseReplaces(value: string | undefined): ReplacesTarget | undefined {
  if (value === undefined) return undefined;
  const [callId, ...params] = value.split(';').map((p) => p.trim());
  if (!callId) return undefined;
  let toTag: string | undefined;
  let fromTag: string | undefined;
  let earlyOnly = false;
  for (const p of params) {
    const eq = p.indexOf('=');
    const name = (eq < 0 ? p : p.slice(0, eq)).toLowerCase();
    const v = eq < 0 ? '' : p.slice(eq + 1);
    if (name === 'to-tag') toTag = v;
    else if (name === 'from-tag') fromTag = v;
    else if (name === 'early-only') earlyOnly = true;
  }
  if (toTag === undefined || fromTag === undefined) return undefined;
  return { callId, toTag, fromTag, earlyOnly };
}

/** The Replaces value for a URI header (RFC 3891 section 6.1). */
export function formatReplaces(r: ReplacesTarget): string {
  return `${r.callId};to-tag=${r.toTag};from-tag=${r.fromTag}${r.earlyOnly ? ';early-only' : ''}`;
}

export type ReferSubscriptionSide = 'none' | 'active' | 'terminated';

export class IncomingRefer extends PendingRequest {
  readonly referTo: NameAddr;
  readonly replaces: ReplacesTarget | undefined;
  readonly referredBy: NameAddr | undefined;
  /** The Event id of the subscription: the REFER's CSeq number. */
  readonly id: string;
  readonly #notify: NotifySender;
  #subscription: ReferSubscriptionSide = 'none';
  #queue: Promise<unknown> = Promise.resolve();

  constructor(request: SipRequest, tx: ServerTransaction, ctx: DialogContext, referTo: NameAddr, notify: NotifySender) {
    super(request, tx, ctx);
    this.referTo = referTo;
    this.id = String(request.cseq.seq);
    this.#notify = notify;
    const replacesKey = Object.keys(referTo.uri.headers).find((k) => k.toLowerCase() === 'replaces');
    this.replaces = parseReplaces(replacesKey === undefined ? undefined : referTo.uri.headers[replacesKey]);
    let referredBy: NameAddr | undefined;
    try {
      const raw = request.headers.get('referred-by');
      referredBy = raw === undefined ? undefined : parseNameAddr(raw);
    } catch {
      referredBy = undefined;
    }
    this.referredBy = referredBy;
  }

  get subscription(): ReferSubscriptionSide {
    return this.#subscription;
  }

  /** Answers 202 Accepted and sends the first NOTIFY (100 Trying). */
  accept(init?: ResponseInit): SipResponse {
    const res = this.respond(202, init);
    this.#subscription = 'active';
    void this.notify(100);
    return res;
  }

  /** Declines the REFER (603 Decline by default). */
  reject(status = 603, init?: ResponseInit): SipResponse {
    if (status < 300) throw new DialogError('SIP_DIALOG_INVALID', `reject() needs a status of 300 or more, got ${status}`);
    return this.respond(status, init);
  }

  /**
   * Reports the referred request's progress (a status code and optional reason phrase); a status of
   * 200 or more is final and terminates the subscription. Resolves with the NOTIFY's response, or
   * undefined when nothing was sent (subscription not active, dialog ended).
   */
  notify(status: number, reason?: string): Promise<SipResponse | undefined> {
    if (this.#subscription !== 'active') return Promise.resolve(undefined);
    if (!Number.isInteger(status) || status < 100 || status > 699) {
      return Promise.reject(new DialogError('SIP_DIALOG_INVALID', `bad sipfrag status ${status}`));
    }
    const final = status >= 200;
    if (final) this.#subscription = 'terminated';
    const init: MessageInit = {
      body: formatSipfrag(status, reason),
      contentType: SIPFRAG_CONTENT_TYPE,
      headers: {
        Event: `refer;id=${this.id}`,
        'Subscription-State': final ? 'terminated;reason=noresource' : `active;expires=${NOTIFY_EXPIRES}`,
      },
    };
    const sent = this.#queue.then(() => this.#notify(init));
    this.#queue = sent.catch(() => undefined);
    return sent;
  }

  /** The dialog ended: no more NOTIFYs (internal). */
  end(): void {
    this.#subscription = 'terminated';
  }
}
