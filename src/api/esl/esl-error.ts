/**
 * Typed errors of the event socket (compatibility source: FreeSWITCH mod_event_socket, specs/esl.md
 * §10 security notes). Codes are listed in docs/errors.md.
 */
import { SwitchboardError } from '../../lib/index.ts';

export type EslErrorCode =
  /** Refusing to listen on a non-loopback address with the well-known default password. */
  | 'ESL_INSECURE_BIND'
  /** An ACL entry that is neither a known list name nor an address/CIDR. */
  | 'ESL_ACL_INVALID'
  /** An `esl.outbound` route whose socket target cannot be parsed. */
  | 'ESL_OUTBOUND_INVALID'
  /** A configured dialplan condition whose expression is not a valid regular expression. */
  | 'ESL_DIALPLAN_INVALID';

export class EslError extends SwitchboardError {
  declare readonly code: EslErrorCode;

  constructor(code: EslErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
