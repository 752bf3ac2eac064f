/**
 * Typed errors of the transport layer (RFC 3261 section 18, RFC 7118) and of stream framing (RFC 3261
 * section 18.3). Codes are stable and listed in docs/errors.md.
 */
import { SwitchboardError } from '../../lib/index.ts';

export type TransportErrorCode =
  /** Opening a connection failed, timed out, or the WebSocket server refused the `sip` subprotocol. */
  | 'SIP_TRANSPORT_CONNECT'
  /** The connection or the transport manager is closed. */
  | 'SIP_TRANSPORT_CLOSED'
  /** No listener or connection can carry the message (e.g. a WebSocket flow that is gone). */
  | 'SIP_TRANSPORT_NO_ROUTE'
  /** The connection limit is reached. */
  | 'SIP_TRANSPORT_LIMIT'
  /** A datagram larger than the UDP limit. */
  | 'SIP_TRANSPORT_TOO_LARGE'
  /** A listener could not be started (bind error, unreadable certificate or key). */
  | 'SIP_TRANSPORT_LISTEN'
  /** Writing to a socket failed, or its write buffer overflowed (a peer that does not read). */
  | 'SIP_TRANSPORT_SEND';

export class TransportError extends SwitchboardError {
  declare readonly code: TransportErrorCode;

  constructor(code: TransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

export type FramingErrorCode =
  /** Header section or whole message over the configured limit. */
  | 'SIP_FRAME_TOO_LARGE'
  /** A message on a stream without Content-Length (RFC 3261 section 18.3). */
  | 'SIP_FRAME_NO_LENGTH'
  /** Content-Length that is not a number, or several that disagree. */
  | 'SIP_FRAME_BAD_LENGTH';

/**
 * A stream that cannot be framed any further; the connection is closed after it. `head` holds the header
 * section (complete, or the first `maxHeaderBytes` when it was too long) so that the stack can answer a
 * request with 400 or 513 before the connection goes.
 */
export class FramingError extends SwitchboardError {
  declare readonly code: FramingErrorCode;
  readonly head: Buffer;
  /** For SIP_FRAME_TOO_LARGE: which limit was exceeded. */
  readonly limit: 'header' | 'message' | undefined;

  constructor(code: FramingErrorCode, message: string, head: Buffer, limit?: 'header' | 'message') {
    super(code, message);
    this.head = head;
    this.limit = limit;
  }
}
