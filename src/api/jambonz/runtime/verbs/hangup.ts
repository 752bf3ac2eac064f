/** `hangup` (specs/jambonz.md §3.A): BYE, with custom `headers`; skipped before answer (StableCall). */
import { asHeaders } from '../verb-data.ts';
import type { VerbContext, VerbHandler } from './verb.ts';

export const hangup: VerbHandler = {
  name: 'hangup',
  precondition: 'stable',
  async exec(ctx: VerbContext): Promise<void> {
    const headers = asHeaders(ctx.verb['headers']);
    await ctx.services.channel.hangup('NORMAL_CLEARING', headers ? { headers } : {});
  },
};
