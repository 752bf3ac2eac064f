/**
 * What a call session is built from: its dependencies (shared by every session of a manager) and the
 * call it runs (the leg, its account and application, and how to reach the app).
 */
import type { Channel } from '../../../core/index.ts';
import type { Clock, Logger } from '../../../lib/index.ts';
import type { AppCommand, Hook, JambonzAccount, JambonzApplication, RequestorFactory } from '../contract.ts';
import type { CallInfo } from './call-info.ts';
import type { CallSession } from './call-session.ts';
import type { Recognizer, RecognizerSettings, Synthesizer, SynthesizerSettings } from './speech.ts';
import type { ValidateVerbs } from './verb-data.ts';

export interface SessionDeps {
  log: Logger;
  clock: Clock;
  requestorFactory: RequestorFactory | undefined;
  validate: ValidateVerbs;
  synthesizer: Synthesizer | undefined;
  recognizer: Recognizer | undefined;
  /** Server defaults for speech, under the application's own. */
  speechDefaults: { synthesizer: SynthesizerSettings; recognizer: RecognizerSettings };
  /** Runs a command of this session's app (on the session `callSid` names, when set). */
  commandFor(command: AppCommand, from: CallSession): Promise<void>;
  /** The session ended (its call hung up). */
  ended(session: CallSession): void;
}

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
}
