/**
 * Typed errors of the SDP module (RFC 8866 syntax, RFC 3264 offer/answer rules). An offer with nothing
 * acceptable is not an error: negotiation returns it as a 488 result value. These errors are for text
 * that is not SDP, for answers that break RFC 3264, for calls out of offer/answer order, and for local
 * settings that cannot be offered.
 */
import { SwitchboardError } from '../lib/index.ts';

export type SdpErrorCode =
  /** The text is not a usable session description (RFC 8866 section 5 syntax, or no m= line). */
  | 'SDP_PARSE'
  /** An answer does not match the offer it answers (RFC 3264 section 6: m-line count, types, formats). */
  | 'SDP_ANSWER_MISMATCH'
  /** An offer or answer arrived when the offer/answer state does not allow it (RFC 3264 section 4, glare). */
  | 'SDP_STATE'
  /** Local media settings are unusable (unknown codec, bad address, port or payload type). */
  | 'SDP_CONFIG';

export class SdpError extends SwitchboardError {
  declare readonly code: SdpErrorCode;

  constructor(code: SdpErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
