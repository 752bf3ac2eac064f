/**
 * Typed errors of the hook requestors (specs/jambonz.md §1, §2): every way a webhook or a WebSocket
 * request to the application can fail. The call session turns them into the documented outcomes (480 on
 * the initial hook, a failed actionHook otherwise).
 */
import { SwitchboardError } from '../../../lib/index.ts';

export type RequestorErrorCode =
  /** The hook URL is missing, malformed, or of a scheme the requestor cannot use. */
  | 'JAMBONZ_HOOK_URL'
  /** The application could not be reached (connection refused, DNS, TLS, WebSocket handshake). */
  | 'JAMBONZ_HOOK_CONNECT'
  /** No response within the request timeout (HTTP) or no ack within the ack timeout (WebSocket). */
  | 'JAMBONZ_HOOK_TIMEOUT'
  /** The webhook answered with a status other than 200, 202 or 204 (`status` holds it). */
  | 'JAMBONZ_HOOK_STATUS'
  /** The reply body is not JSON, cannot be parsed, or is larger than allowed. */
  | 'JAMBONZ_HOOK_BODY'
  /** The requestor was closed, or the WebSocket went away, before the reply came. */
  | 'JAMBONZ_HOOK_CLOSED'
  /** The application sent a WebSocket frame larger than the configured maximum. */
  | 'JAMBONZ_WS_FRAME_TOO_LARGE';

export class RequestorError extends SwitchboardError {
  declare readonly code: RequestorErrorCode;
  /** The HTTP status, for JAMBONZ_HOOK_STATUS. */
  readonly status: number | undefined;

  constructor(code: RequestorErrorCode, message: string, options?: { cause?: unknown; status?: number }) {
    super(code, message, options);
    this.status = options?.status;
  }
}
