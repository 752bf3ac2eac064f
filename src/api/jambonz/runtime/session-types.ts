/** What a call session runs: the leg, its account and application, and how to reach the app. */
import type { Channel } from '../../../core/index.ts';
import type { Hook, JambonzAccount, JambonzApplication } from '../contract.ts';
import type { CallInfo } from './call-info.ts';

export interface SessionInit {
  channel: Channel;
  account: JambonzAccount;
  application?: JambonzApplication;
  callInfo: CallInfo;
  callHook?: Hook;
  callStatusHook?: Hook;
  /** Static verbs (JSON text) used instead of the call hook. */
  appJson?: string;
  /** The `sip` object of session:new (inbound calls). */
  sip?: Record<string, unknown>;
  /** Hooks and payloads of a REST-created call (`tag` -> customerData). */
  customerData?: Record<string, unknown>;
  /** Stop the call after this many seconds (REST timeLimit). */
  timeLimitSecs?: number;
  /**
   * A dial's B leg given its own application (`appJson`): the session announces itself with
   * `session:adulting` (its call info + the A leg's) to the application's call hook (dial/adulting.ts).
   */
  adulting?: { parentCallInfo: Record<string, unknown> };
}
