/**
 * The first verb array of a call (specs/jambonz.md §1.3 `session:new`, §2.1 the initial webhook): the
 * static `app_json`, or the call hook's reply to the session:new payload (§1.4). The reply must be a
 * valid, non-empty verb array; anything else is an error naming why, which the session turns into 480
 * with X-Reason.
 */
import { errorMessage } from '../../../lib/index.ts';
import type { Hook } from '../contract.ts';
import type { AppConnection } from './app-connection.ts';
import type { CallInfo } from './call-info.ts';
import { snakeCaseKeys } from './snake-case.ts';
import type { ValidationResult, VerbData } from './verb-data.ts';

export interface InitialAppInput {
  appJson?: string;
  callHook?: Hook;
  callInfo: CallInfo;
  conn: AppConnection;
  sip?: Record<string, unknown>;
  defaults: Record<string, unknown>;
  envVars?: Record<string, unknown>;
  validate(payload: unknown): ValidationResult;
  /** Called once the first request is on its way (or at once for app_json). */
  started(): void;
}

export type InitialApp = { ok: true; verbs: VerbData[] } | { ok: false; reason: string };

export async function fetchInitialApp(input: InitialAppInput): Promise<InitialApp> {
  let reply: unknown;
  if (input.appJson !== undefined) {
    input.started();
    try {
      reply = JSON.parse(input.appJson);
    } catch (err) {
      return { ok: false, reason: `malformed app_json: ${errorMessage(err)}` };
    }
  } else if (input.callHook) {
    const payload = input.callInfo.sessionNew({
      ...(input.sip ? { sip: input.sip } : {}),
      defaults: input.defaults,
      ...(input.envVars ? { envVars: input.envVars } : {}),
    });
    const pending = input.conn.request('session:new', input.callHook, snakeCaseKeys(payload));
    input.started();
    try {
      reply = await pending;
    } catch (err) {
      return { ok: false, reason: errorMessage(err) };
    }
  } else {
    return { ok: false, reason: 'the application has neither call_hook nor app_json' };
  }
  const r = input.validate(reply);
  if (!r.ok) return { ok: false, reason: r.error };
  if (r.verbs.length === 0) return { ok: false, reason: 'malformed jambonz payload: no verbs' };
  return { ok: true, verbs: r.verbs };
}
