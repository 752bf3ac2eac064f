/**
 * `dial` command (specs/jambonz.md §1.6): places a new outbound call from a create-call body (§2.6:
 * `from`, `to`, `call_hook` / `app_json`, `timeout`, `tag` ...; without a hook the calling session's
 * application runs it), for the account of the session it came from. A body the create-call rules
 * refuse, or a call that cannot be placed, answers the app with `jambonz:error`.
 */
import { connectOf } from '../dial/connect-services.ts';
import { RuntimeError } from '../runtime-error.ts';
import { asRecord } from '../verb-data.ts';
import type { CommandHandler } from './command.ts';

export const dialCommand: CommandHandler = {
  name: 'dial',
  async exec(session, data) {
    const body = asRecord(data);
    if (!body) throw new RuntimeError('JAMBONZ_COMMAND_INVALID', 'dial: data must be a create-call body');
    const connect = connectOf(session);
    if (!connect) throw new RuntimeError('JAMBONZ_UNSUPPORTED', 'dial is not available in this runtime');
    const outcome = await connect.createCall(body);
    if (outcome.status !== 201) {
      const msg = asRecord(outcome.body)?.['msg'];
      throw new RuntimeError(outcome.status === 400 ? 'JAMBONZ_COMMAND_INVALID' : 'JAMBONZ_CALL_STATE', `dial: ${typeof msg === 'string' ? msg : `status ${outcome.status}`}`);
    }
    session.log.info({ call: outcome.body }, 'dial command placed a call');
  },
};
