/**
 * The typed events of a dialog (RFC 3261 sections 12-15, RFC 3311, RFC 3515, RFC 4028) and the values
 * they carry. Listener exceptions are logged and never break the dialog.
 */
import type { SipRequest, SipResponse, SipUri } from '../message/index.ts';
import type { IncomingDialogRequest } from './incoming-request.ts';
import type { IncomingRefer } from './incoming-refer.ts';
import type { IncomingSessionUpdate } from './incoming-session-update.ts';
import type { SessionBody } from './session-body.ts';
import type { SessionInterval } from './session-timer-negotiation.ts';

/** Why a dialog ended. */
export type DialogEndReason =
  /** A BYE was sent or received. */
  | 'bye'
  /** The INVITE got (or was answered with) a final non-2xx response; early dialogs only. */
  | 'rejected'
  /** The INVITE was cancelled; early dialogs only. */
  | 'cancelled'
  /** Another fork answered first (UAC early dialogs), or a 2xx was turned down (ACK + BYE). */
  | 'forked'
  /** The 2xx was never acknowledged (UAS), or the application never sent the ACK (UAC). */
  | 'no-ack'
  /** A reliable provisional response was never PRACKed (UAS early dialogs). */
  | 'prack-timeout'
  /** RFC 4028: the session was not refreshed in time, or a refresh failed. */
  | 'session-timer'
  /** A request in the dialog got 481 or 408 (section 12.2.1.2). */
  | 'request-failed'
  /** The dialog layer was closed. */
  | 'closed';

export interface DialogTerminated {
  reason: DialogEndReason;
  /** True when the peer ended it (its BYE, CANCEL or final response). */
  remote: boolean;
  request?: SipRequest;
  response?: SipResponse;
}

/** Result of reinvite() / update(): a rejection is a value, like a call outcome. */
export type SessionUpdateResult =
  | { ok: true; response: SipResponse; answer: SessionBody | undefined }
  | { ok: false; status: number; reason: string; response?: SipResponse };

export type DialogEvents = {
  /** An early dialog became confirmed (its 2xx). */
  confirmed: undefined;
  /** UAS: the ACK for a 2xx (initial INVITE or re-INVITE) arrived; `body` is the answer of a late offer. */
  ack: { request: SipRequest; body: SessionBody | undefined };
  /** A re-INVITE to answer. */
  reinvite: IncomingSessionUpdate;
  /** An UPDATE to answer. */
  update: IncomingSessionUpdate;
  /** INFO, MESSAGE, OPTIONS or NOTIFY (other than REFER progress) to answer. */
  request: IncomingDialogRequest;
  /** A REFER to accept or reject. */
  refer: IncomingRefer;
  /** The remote target changed (section 12.2). */
  targetRefresh: { target: SipUri };
  /** The session descriptions changed after a completed offer/answer exchange. */
  session: { local: SessionBody | undefined; remote: SessionBody | undefined };
  /** The session timer was (re)started; undefined when session expiration is off. */
  sessionTimer: SessionInterval | undefined;
  /** The dialog ended (emitted once, last). */
  terminated: DialogTerminated;
};
