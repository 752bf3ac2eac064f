/**
 * Typed errors of the RTP layer (RFC 3550). Codes are stable and listed in docs/errors.md. The receive
 * hot path never throws: a malformed datagram is counted and dropped; these errors come from setup,
 * configuration and the convenience (non hot-path) parsers.
 */
import { SwitchboardError } from '../../lib/index.ts';

export type RtpErrorCode =
  /** The port pool has no free RTP/RTCP pair. */
  | 'MEDIA_NO_PORT'
  /** The port pool could not bind any pair at start, or its range/address is invalid. */
  | 'MEDIA_PORT_BIND'
  /** An RTP packet does not follow RFC 3550 section 5.1 (too short, version, padding, extension, CSRC). */
  | 'MEDIA_RTP_PARSE'
  /** An RTCP compound packet does not follow RFC 3550 section 6 / appendix A.2. */
  | 'MEDIA_RTCP_PARSE'
  /** A packet does not fit the buffer given to serialize it, or a field is out of range. */
  | 'MEDIA_RTP_BUFFER'
  /** An RTP socket or port pool is used after close(). */
  | 'MEDIA_RTP_CLOSED'
  /** Invalid options (clock rate, remote address, port range ...). */
  | 'MEDIA_RTP_CONFIG';

export class RtpError extends SwitchboardError {
  declare readonly code: RtpErrorCode;

  constructor(code: RtpErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
