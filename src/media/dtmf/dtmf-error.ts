/**
 * Typed errors of the DTMF module (RFC 4733 telephone-events, in-band tones, SIP INFO bodies). Bytes
 * and text from the network never throw: malformed payloads and bodies parse to undefined. These
 * errors are for a caller asking for something that cannot be sent.
 */
import { SwitchboardError } from '../../lib/index.ts';

export type DtmfErrorCode =
  /** A digit or event code outside what can be sent (not 0-9, *, #, A-D, flash; event > 255). */
  | 'MEDIA_DTMF_EVENT'
  /** Unusable options: a duration, volume, interval, clock or sample rate out of range. */
  | 'MEDIA_DTMF_OPTIONS';

export class DtmfError extends SwitchboardError {
  declare readonly code: DtmfErrorCode;

  constructor(code: DtmfErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
