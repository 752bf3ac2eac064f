/**
 * `redirect` command (specs/jambonz.md §1.6): a verb array replaces the stack (`queueCommand: false`,
 * the running verb is killed) or is appended (`true`), waking an idle session; `{call_hook}` fetches a
 * new app with `session:redirect`; `{parent_call: [...]}` runs inline verbs on this leg. Child legs
 * (`child_call_hook`, `child_call`) arrive with dial (issue 5) and are refused.
 */
import { asRecord } from '../verb-data.ts';
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

export const redirectCommand: CommandHandler = {
  name: 'redirect',
  async exec(session, data, command) {
    if (Array.isArray(data)) {
      runVerbs(session, data, command.queueCommand);
      return;
    }
    const obj = asRecord(data);
    if (!obj) throw new RuntimeError('JAMBONZ_COMMAND_INVALID', 'redirect: data must be a verb array or an object');
    if (obj['child_call_hook'] !== undefined || obj['child_call'] !== undefined) {
      throw new RuntimeError('JAMBONZ_UNSUPPORTED', 'redirect: child call legs are not supported by this server yet');
    }
    if (obj['parent_call'] !== undefined) {
      runVerbs(session, obj['parent_call'], command.queueCommand);
      return;
    }
    const hook = hookOf(obj['call_hook']);
    if (!hook) throw new RuntimeError('JAMBONZ_COMMAND_INVALID', 'redirect: expected call_hook, parent_call or a verb array');
    await session.redirect(hook);
  },
};
