/**
 * Errors of the SIP message layer. A parse error carries what the stack needs to answer the sender
 * (RFC 3261 sections 8.2, 16.3 and 21.4): a short reason phrase, the status to send, and, when the
 * request's Via, From, To, Call-ID and CSeq were readable, the request itself so that a response can
 * be built for it. The `request` field is declared by message.ts (it augments this class) so that this
 * file stays a leaf of the import graph.
 */
import { SwitchboardError } from '../../lib/index.ts';

/**
 * Stable codes:
 * - SIP_PARSE: the message (or a header read from it) does not follow the RFC 3261 grammar; 400.
 * - SIP_VERSION: the start line names a SIP version other than 2.0; 505.
 * - SIP_TOO_LARGE: the message exceeds a configured size or header-count limit; 513.
 */
export type SipParseErrorCode = 'SIP_PARSE' | 'SIP_VERSION' | 'SIP_TOO_LARGE';

export interface SipParseErrorOptions {
  code?: SipParseErrorCode;
  status?: number;
  /** Longer text for logs; defaults to the reason. */
  detail?: string;
  cause?: unknown;
}

export class SipParseError extends SwitchboardError {
  declare readonly code: SipParseErrorCode;
  /** Short text fit for a response's reason phrase, e.g. "Bad CSeq method", "Missing Call-ID". */
  readonly reason: string;
  /** The status a server answers with: 400, 505 or 513. */
  readonly status: number;

  constructor(reason: string, options: SipParseErrorOptions = {}) {
    const code = options.code ?? 'SIP_PARSE';
    super(code, options.detail ?? reason, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.status = options.status ?? (code === 'SIP_VERSION' ? 505 : code === 'SIP_TOO_LARGE' ? 513 : 400);
  }
}

/** Rethrows a grammar error under a header-specific reason ("Bad Via"), keeping the detail. */
export function rethrowAs(reason: string, err: unknown): never {
  if (err instanceof SipParseError) {
    if (err.reason === reason) throw err;
    throw new SipParseError(reason, { detail: `${reason}: ${err.message}`, cause: err });
  }
  throw err;
}

/**
 * Raised when code (not a peer) tries to put something unsendable into a message, such as a header
 * value holding CR or LF or a header name that is not a token.
 */
export class SipHeaderError extends SwitchboardError {
  constructor(message: string) {
    super('SIP_HEADER_VALUE', message);
  }
}
