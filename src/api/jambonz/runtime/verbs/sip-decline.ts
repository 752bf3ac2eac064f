/**
 * `sip:decline` (specs/jambonz.md §3.A, §2.5): rejects an unanswered call with `status`, `reason` and
 * `headers`; adds `X-Reason: SIP Decline Verb` unless the app sets X-Reason. The status hook reports
 * `failed` with that status.
 */
import { sipStatusToCause } from '../../../../core/index.ts';
import { asHeaders, asNumber, asString } from '../verb-data.ts';
import type { VerbContext, VerbHandler } from './verb.ts';

export const sipDecline: VerbHandler = {
  name: 'sip:decline',
  precondition: 'unanswered',
  async exec(ctx: VerbContext): Promise<void> {
    const status = asNumber(ctx.verb['status']);
    if (status === undefined || status < 300 || status > 699) {
      ctx.services.notifyError({ msg: 'invalid verb', details: 'sip:decline: status must be a final SIP status (300-699)' }, ctx.verb);
      return;
    }
    const headers = { 'X-Reason': 'SIP Decline Verb', ...asHeaders(ctx.verb['headers']) };
    const reason = asString(ctx.verb['reason']);
    await ctx.services.channel.hangup(sipStatusToCause(status), { sipStatus: status, headers, ...(reason ? { reason } : {}) });
  },
};
