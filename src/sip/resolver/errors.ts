/** Typed errors of RFC 3263 next-hop resolution. Codes are stable and listed in docs/errors.md. */
import { SwitchboardError } from '../../lib/index.ts';

export type ResolverErrorCode =
  /** A URI this stack cannot route: tel:, an unknown or unsupported transport, sips: over UDP, no host. */
  'SIP_RESOLVE_UNSUPPORTED';

export class ResolverError extends SwitchboardError {
  declare readonly code: ResolverErrorCode;

  constructor(code: ResolverErrorCode, message: string) {
    super(code, message);
  }
}
