/**
 * `dial` (specs/jambonz.md §3.A, §2.4): connects the call to the first of up to 10 targets to answer.
 * The work is done by dial/dial-call.ts; this is its entry in the verb table. Precondition none: the
 * dial answers the A leg itself (at once, or on bridge with `answerOnBridge`).
 */
import { connectOf } from '../dial/connect-services.ts';
import { DialCall } from '../dial/dial-call.ts';
import type { VerbContext, VerbHandler } from './verb.ts';

export const dial: VerbHandler = {
  name: 'dial',
  precondition: 'none',
  async exec(ctx: VerbContext): Promise<void> {
    const connect = connectOf(ctx.services);
    if (!connect) {
      ctx.services.notifyError({ msg: 'unsupported verb', details: 'dial is not available in this runtime' }, ctx.verb);
      return;
    }
    await new DialCall(ctx, connect).run();
  },
};
