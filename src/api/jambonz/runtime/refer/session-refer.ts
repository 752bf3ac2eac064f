/**
 * REFER from the far end of a session's own leg (specs/jambonz.md §2.4 "dial referHook", §3.A config
 * `referHook`, §2.6 create-call `referHook`; the original's call-session.js `_onRefer`): while a dial
 * with its own `referHook` is bridged, the dial handles it (dial-refer.ts); otherwise the session's
 * referHook (config verb or REST create-call) gets call info plus `refer_details` with
 * `referred_call_sid: null`, and its reply's verbs replace the application (refer-flow.ts; the final
 * NOTIFY goes first, as the new verbs run on the referrer's own leg and may end it). Without a
 * referHook the REFER is refused with 501, as the original does.
 */
import type { Channel, RemoteTransfer } from '../../../../core/index.ts';
import type { Clock, Logger } from '../../../../lib/index.ts';
import type { Hook, HookRequestType } from '../../contract.ts';
import type { CallInfo } from '../call-info.ts';
import { connectOf } from '../dial/connect-services.ts';
import type { ValidationResult, VerbData } from '../verb-data.ts';
import type { VerbServices } from '../verbs/verb.ts';
import { referDetails } from './refer-details.ts';
import { runReferFlow } from './refer-flow.ts';

export interface ReferSession extends VerbServices {
  readonly log: Logger;
  readonly clock: Clock;
  readonly callInfo: CallInfo;
  readonly channel: Channel;
  requestHook(type: HookRequestType, hook: Hook, payload: Record<string, unknown>): Promise<unknown>;
  validate(payload: unknown): ValidationResult;
  replaceApplication(verbs: VerbData[]): void;
}

/** Handles one REFER of the session's leg. */
export function handleSessionRefer(session: ReferSession, t: RemoteTransfer): void {
  const dial = connectOf(session)?.dials.get(session.callInfo.callSid);
  if (dial?.takeRefer?.(t)) return;
  if (!t.take()) return;
  const hook = session.settings.referHook;
  if (!hook) {
    session.log.info('REFER without a referHook: 501');
    t.reject(501);
    return;
  }
  const payload = { ...session.callInfo.toJSON(), refer_details: referDetails(t, session.callInfo.callSid, null) };
  void runReferFlow({
    log: session.log, clock: session.clock,
    request: (h, p) => session.requestHook('verb:hook', h, p),
    validate: (p) => session.validate(p),
    invalid: (details) => session.notifyError({ msg: 'invalid referHook response', details }),
  }, t, hook, payload, (verbs) => session.replaceApplication(verbs), true).catch((err: unknown) => {
    session.log.warn({ err }, 'REFER handling failed');
  });
}

/** Follows the REFERs of the session's leg; returns the unsubscribe. */
export function watchRefers(session: ReferSession): () => void {
  return session.channel.on('refer', (t) => handleSessionRefer(session, t));
}
