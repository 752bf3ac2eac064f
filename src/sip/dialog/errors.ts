/**
 * Typed errors of the dialog layer (RFC 3261 sections 12-15). They report misuse of the API or a dialog
 * that can no longer do what was asked; call outcomes (busy, no answer, timeouts, rejections) are result
 * values, never these errors.
 *
 * Stable codes:
 * - SIP_DIALOG_TERMINATED: the dialog has ended; no request can be sent in it.
 * - SIP_DIALOG_STATE: the operation does not fit the current state (accept after a final response,
 *   ack() when no ACK is awaited ...).
 * - SIP_DIALOG_PENDING: an INVITE or offer is already in progress in the dialog (section 14.1,
 *   RFC 3311 section 5.1).
 * - SIP_DIALOG_CANCELLED: the INVITE was cancelled (or the caller hung up) before it was accepted.
 * - SIP_DIALOG_NO_ACK: the 2xx was never acknowledged (section 13.3.1.4); the dialog was ended with BYE.
 * - SIP_DIALOG_PRACK_TIMEOUT: a reliable provisional response was never PRACKed (RFC 3262 section 3).
 * - SIP_DIALOG_INVALID: a bad argument (unparsable URI, status out of range ...).
 * - SIP_DIALOG_CLOSED: the dialog layer is closed.
 * - SIP_DIALOG_TRANSPORT: a response could not be sent.
 */
import { SwitchboardError } from '../../lib/index.ts';

export type DialogErrorCode =
  | 'SIP_DIALOG_TERMINATED'
  | 'SIP_DIALOG_STATE'
  | 'SIP_DIALOG_PENDING'
  | 'SIP_DIALOG_CANCELLED'
  | 'SIP_DIALOG_NO_ACK'
  | 'SIP_DIALOG_PRACK_TIMEOUT'
  | 'SIP_DIALOG_INVALID'
  | 'SIP_DIALOG_CLOSED'
  | 'SIP_DIALOG_TRANSPORT';

export class DialogError extends SwitchboardError {
  declare readonly code: DialogErrorCode;

  constructor(code: DialogErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
