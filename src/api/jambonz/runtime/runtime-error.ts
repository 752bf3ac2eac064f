/**
 * Typed errors of the jambonz call runtime, with stable codes listed in docs/errors.md. They travel in
 * logs, `jambonz:error` messages and REST answers; a call's outcome (busy, declined) is never one.
 */
import { SwitchboardError } from '../../../lib/index.ts';

export type RuntimeErrorCode =
  /** The application's reply is not a valid verb array (specs/jambonz.md §2.2). */
  | 'JAMBONZ_APP_INVALID'
  /** No requestor can serve a hook: none configured, or a relative hook with no call hook to resolve it. */
  | 'JAMBONZ_NO_REQUESTOR'
  /** A verb or command whose feature is not available in this release. */
  | 'JAMBONZ_UNSUPPORTED'
  /** A command or REST update with unusable data. */
  | 'JAMBONZ_COMMAND_INVALID'
  /** The call is gone or in a state where the request cannot apply. */
  | 'JAMBONZ_CALL_STATE';

export class RuntimeError extends SwitchboardError {
  declare readonly code: RuntimeErrorCode;

  constructor(code: RuntimeErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
