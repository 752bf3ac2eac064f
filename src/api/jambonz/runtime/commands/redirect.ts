/**
 * `redirect` command (specs/jambonz.md §1.6): a verb array replaces the stack (`queueCommand: false`,
 * the running verb is killed) or is appended (`true`), waking an idle session; `{call_hook}` fetches a
 * new app with `session:redirect`; `{parent_call: [...]}` runs inline verbs on this leg;
 * `child_call_hook` / `child_call` give the B leg of a connected dial its own application first.
 */
import type { Hook } from '../../contract.ts';
import { connectOf } from '../dial/connect-services.ts';
import { asRecord, type VerbData } from '../verb-data.ts';
import { hookOf } from '../verbs/index.ts';
import { RuntimeError } from '../runtime-error.ts';
import type { CommandHandler } from './command.ts';
import type { CallSession } from '../call-session.ts';

function runVerbs(session: CallSession, payload: unknown, queue: boolean): void {
  const r = session.validate(payload);
  if (!r.ok) throw new RuntimeError('JAMBONZ_APP_INVALID', r.error);
  if (queue) session.queueApplication(r.verbs);
  else session.replaceApplication(r.verbs);
}

/** `child_call_hook` / `child_call`: the B leg of this call's dial gets its own application (dial/active-dials.ts). */
function adoptChild(session: CallSession, obj: Record<string, unknown>): void {
  const dial = connectOf(session)?.dials.get(session.callSid);
  const hook = hookOf(obj['child_call_hook']);
  let app: { hook: Hook } | { verbs: VerbData[] };
  if (hook) {
    app = { hook };
  } else {
    const r = session.validate(obj['child_call']);
    if (!r.ok) throw new RuntimeError('JAMBONZ_APP_INVALID', r.error);
    app = { verbs: r.verbs };
  }
  if (!dial?.adoptChild(app)) throw new RuntimeError('JAMBONZ_CALL_STATE', 'redirect: the call has no connected dial');
}

export const redirectCommand: CommandHandler = {
  name: 'redirect',
  async exec(session, data, command) {
    if (Array.isArray(data)) {
      runVerbs(session, data, command.queueCommand);
      return;
    }
    const obj = asRecord(data);
    if (!obj) throw new RuntimeError('JAMBONZ_COMMAND_INVALID', 'redirect: data must be a verb array or an object');
    if (obj['child_call_hook'] !== undefined || obj['child_call'] !== undefined) adoptChild(session, obj);
    if (obj['parent_call'] !== undefined) {
      runVerbs(session, obj['parent_call'], command.queueCommand);
      return;
    }
    const hook = hookOf(obj['call_hook']);
    if (!hook) throw new RuntimeError('JAMBONZ_COMMAND_INVALID', 'redirect: expected call_hook, parent_call or a verb array');
    await session.redirect(hook);
  },
};
