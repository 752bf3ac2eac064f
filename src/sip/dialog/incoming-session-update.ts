/**
 * A re-INVITE (RFC 3261 section 14.2) or UPDATE (RFC 3311 section 5.2) received in a dialog, handed to
 * the application to answer. `offer` is the request's session description; a re-INVITE without one is a
 * late offer: the body of accept() is then our offer and the peer's answer arrives in the ACK (the
 * dialog's 'ack' event). An UPDATE without a body only refreshes the target or the session timer.
 *
 * accept() sends a 200 with the answer (the dialog adds Contact and the session timer header fields and,
 * for a re-INVITE, retransmits it until the ACK); reject() sends a final non-2xx (488 Not Acceptable Here
 * by default, 491 Request Pending for application-level glare) and leaves the session as it was. When
 * the application neither answers nor defers, the layer accepts with the dialog's current local
 * session description (a session refresh), or answers 488 if it has none and an answer is needed.
 */
import type { SipRequest, SipResponse } from '../message/index.ts';
import type { ServerTransaction } from '../transaction/index.ts';
import type { DialogContext } from './dialog-context.ts';
import { DialogError } from './errors.ts';
import { PendingRequest } from './incoming-request.ts';
import type { ResponseInit } from './response-builder.ts';
import { bodyOf, type SessionBody } from './session-body.ts';

/** What the dialog does around the final response of a session update. */
export interface SessionUpdateHooks {
  /** Adds Contact and session timer header fields to a 2xx. */
  prepare(ev: IncomingSessionUpdate, res: SipResponse): void;
  /** Sends the response (a re-INVITE 2xx is retransmitted until the ACK). */
  transmit(ev: IncomingSessionUpdate, res: SipResponse): boolean;
  /** Updates the dialog once the final response went out. */
  sent(ev: IncomingSessionUpdate, res: SipResponse): void;
}

export class IncomingSessionUpdate extends PendingRequest {
  /** The offer in the request; undefined for a late-offer re-INVITE or a body-less UPDATE. */
  readonly offer: SessionBody | undefined;
  readonly #hooks: SessionUpdateHooks;

  constructor(request: SipRequest, tx: ServerTransaction, ctx: DialogContext, hooks: SessionUpdateHooks) {
    super(request, tx, ctx);
    this.offer = bodyOf(request);
    this.#hooks = hooks;
  }

  /** Whether this is a re-INVITE (as opposed to an UPDATE). */
  get isReinvite(): boolean {
    return this.request.method === 'INVITE';
  }

  /** Sends 200 OK with the answer (or, for a late-offer re-INVITE, our offer) as body. */
  accept(init?: ResponseInit): SipResponse {
    return this.respond(200, init);
  }

  /** Sends a final non-2xx; the session stays as it was. */
  reject(status = 488, init?: ResponseInit): SipResponse {
    if (status < 300) throw new DialogError('SIP_DIALOG_INVALID', `reject() needs a status of 300 or more, got ${status}`);
    return this.respond(status, init);
  }

  protected override prepare(res: SipResponse): void {
    this.#hooks.prepare(this, res);
  }

  protected override transmit(res: SipResponse): boolean {
    return this.#hooks.transmit(this, res);
  }

  protected override sent(res: SipResponse): void {
    this.#hooks.sent(this, res);
  }
}
