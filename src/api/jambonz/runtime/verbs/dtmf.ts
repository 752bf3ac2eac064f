/** `dtmf` (specs/jambonz.md §3.A): sends `dtmf` digits (RFC 4733) of `duration` ms (500). */
import { asNumber, asString } from '../verb-data.ts';
import type { VerbContext, VerbHandler } from './verb.ts';

export const dtmf: VerbHandler = {
  name: 'dtmf',
  precondition: 'endpoint',
  async exec(ctx: VerbContext): Promise<void> {
    const digits = asString(ctx.verb['dtmf']) ?? '';
    if (!/^[0-9A-Da-d*#]+$/.test(digits)) {
      ctx.services.notifyError({ msg: 'invalid verb', details: `dtmf: invalid digits "${digits}"` }, ctx.verb);
      return;
    }
    const r = await ctx.services.channel.sendDtmf(digits, { durationMs: asNumber(ctx.verb['duration']) ?? 500 });
    if (!r.ok) ctx.log.info({ err: r.error.message }, 'dtmf: sending failed');
  },
};
