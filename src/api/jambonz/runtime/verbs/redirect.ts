/**
 * `redirect` (specs/jambonz.md §3.A, §1.3): fetches a new application from `actionHook`
 * (`session:redirect` on WebSocket apps, a webhook otherwise) that replaces the verb stack; `statusHook`
 * replaces the call status hook. Does not answer the call.
 */
import { hookOf, type VerbContext, type VerbHandler } from './verb.ts';

export const redirect: VerbHandler = {
  name: 'redirect',
  precondition: 'none',
  async exec(ctx: VerbContext): Promise<void> {
    const s = ctx.services;
    const statusHook = hookOf(ctx.verb['statusHook']);
    if (statusHook) s.setStatusHook(statusHook);
    const hook = hookOf(ctx.verb['actionHook']);
    if (!hook) {
      s.notifyError({ msg: 'invalid verb', details: 'redirect: missing actionHook' }, ctx.verb);
      return;
    }
    await s.redirect(hook);
  },
};
