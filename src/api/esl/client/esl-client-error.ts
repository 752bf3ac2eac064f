/**
 * Typed errors of the event-socket client (specs/esl.md §1.4 auth replies, §8.5 libesl connect).
 * Codes are listed in docs/errors.md.
 */
import { SwitchboardError } from '../../../lib/index.ts';

export type EslClientErrorCode =
  /** The TCP connection could not be made (refused, unreachable, unknown host). */
  | 'ESL_CLIENT_CONNECT'
  /** The server refused the password (`-ERR invalid`) or did not ask for one. */
  | 'ESL_CLIENT_AUTH'
  /** No answer in time: auth/request, auth reply or a command's reply. */
  | 'ESL_CLIENT_TIMEOUT'
  /** The connection closed while a reply was awaited, or a command was sent after close. */
  | 'ESL_CLIENT_CLOSED'
  /** The server sent bytes that are not a frame. */
  | 'ESL_CLIENT_PROTOCOL';

export class EslClientError extends SwitchboardError {
  declare readonly code: EslClientErrorCode;

  constructor(code: EslClientErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
