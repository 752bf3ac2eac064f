/**
 * Typed errors of the digest authentication module (RFC 3261 section 22, RFC 7616). A failed login is
 * not an error: the verifier returns it as a result value. These errors are for text that cannot be
 * parsed and for challenges a client cannot answer.
 */
import { SwitchboardError } from '../../lib/index.ts';

export type AuthErrorCode =
  /** A WWW-Authenticate / Authorization (or Proxy-) header value is not valid auth-param syntax. */
  | 'SIP_AUTH_MALFORMED'
  /** No challenge offers an algorithm and qop this implementation can answer. */
  | 'SIP_AUTH_UNSUPPORTED'
  /** A nonce manager or verifier was built with unusable options (e.g. an empty secret). */
  | 'SIP_AUTH_CONFIG';

export class AuthError extends SwitchboardError {
  declare readonly code: AuthErrorCode;

  constructor(code: AuthErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
