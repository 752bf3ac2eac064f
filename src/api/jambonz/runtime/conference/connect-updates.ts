/**
 * REST live call control of the connecting verbs (specs/jambonz.md §2.6 `PUT .../Calls/:callSid`):
 * `conf_mute_status`, `conf_hold_status` (+ `wait_hook`), `conferenceParticipantAction {action, tag,
 * wait_hook}` on the call's
 * conference membership, and `child_call_hook` giving the B leg of the call's dial its own application
 * (the dial ends, both legs stay up). 202 when applied, 400 for bad values, 422 when the call is not in
 * a conference / not dialing. Undefined for every other update.
 */
import { errorMessage } from '../../../../lib/index.ts';
import type { RestOutcome } from '../../contract.ts';
import { connectOf } from '../dial/connect-services.ts';
import { RuntimeError } from '../runtime-error.ts';
import { asRecord } from '../verb-data.ts';
import type { VerbServices } from '../verbs/verb.ts';
import { hookOf } from '../verbs/verb.ts';
import { muteConference } from './conference-member-control.ts';
import { holdWithMusic, memberAction } from './member-actions.ts';

export const CONNECT_UPDATES = ['conf_mute_status', 'conf_hold_status', 'conferenceParticipantAction', 'child_call_hook'] as const;

export function connectUpdate(session: VerbServices, key: string | undefined, body: Record<string, unknown>): RestOutcome | undefined {
  if (key === undefined || !(CONNECT_UPDATES as readonly string[]).includes(key)) return undefined;
  const c = connectOf(session);
  if (!c) return { status: 422, body: { msg: `${key} is not available` } };
  try {
    switch (key) {
      case 'conf_mute_status':
        muteConference(c.sw, session.channel, body[key]);
        break;
      case 'conf_hold_status':
        holdWithMusic(session, c, body[key], body['wait_hook']);
        break;
      case 'conferenceParticipantAction': {
        const a = asRecord(body[key]);
        memberAction(session, c, a?.['action'], a?.['tag'], a?.['wait_hook']);
        break;
      }
      case 'child_call_hook': {
        const hook = hookOf(body[key]);
        if (!hook) return { status: 400, body: { msg: 'child_call_hook must be a URL or {url, method, username, password}' } };
        const dial = c.dials.get(session.callInfo.callSid);
        if (!dial?.adoptChild({ hook })) return { status: 422, body: { msg: 'the call has no connected dial' } };
        break;
      }
    }
  } catch (err) {
    const code = err instanceof RuntimeError ? err.code : undefined;
    return { status: code === 'JAMBONZ_COMMAND_INVALID' ? 400 : 422, body: { msg: errorMessage(err) } };
  }
  return { status: 202 };
}
