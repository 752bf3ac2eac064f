/**
 * `conference` (specs/jambonz.md §3.A): joins the call to a named conference room. The work is done by
 * conference/conference-call.ts; this is its entry in the verb table.
 */
import { connectOf } from '../dial/connect-services.ts';
import { runConference } from '../conference/conference-call.ts';
import type { VerbContext, VerbHandler } from './verb.ts';

export const conference: VerbHandler = {
  name: 'conference',
  precondition: 'endpoint',
  async exec(ctx: VerbContext): Promise<void> {
    const connect = connectOf(ctx.services);
    if (!connect) {
      ctx.services.notifyError({ msg: 'unsupported verb', details: 'conference is not available in this runtime' }, ctx.verb);
      return;
    }
    await runConference(ctx, connect);
  },
};
