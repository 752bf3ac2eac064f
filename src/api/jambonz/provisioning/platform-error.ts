/**
 * Typed errors of the jambonz-compatible platform side (HTTP server, provisioning, routing). Codes are
 * listed in docs/errors.md. Refused REST requests are answers (400, 404, 422), not errors.
 */
import { SwitchboardError } from '../../../lib/index.ts';

export type JambonzPlatformErrorCode =
  /** The HTTP address cannot be bound (in use, not permitted, not an address of this machine). */
  | 'JAMBONZ_HTTP_LISTEN'
  /** An application, phone number or route in the configuration is unusable (the message names it). */
  | 'JAMBONZ_PROVISIONING_INVALID'
  /** The provisioning or account file in the data directory cannot be written. */
  | 'JAMBONZ_STORE_WRITE';

export class JambonzPlatformError extends SwitchboardError {
  declare readonly code: JambonzPlatformErrorCode;

  constructor(code: JambonzPlatformErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
