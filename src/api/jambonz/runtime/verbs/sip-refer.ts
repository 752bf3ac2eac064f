/**
 * `sip:refer` (specs/jambonz.md §3.A, §2.4): transfers an answered call with REFER to `referTo`; the
 * actionHook gets `refer_status` (202 when accepted). NOTIFY sipfrag progress is not reported by the
 * call core yet, so `final_referred_call_status` and the eventHook `transfer-status` are not sent.
 */
import { asString } from '../verb-data.ts';
import { hookOf, type VerbContext, type VerbHandler } from './verb.ts';

/** `referTo` as a URI: a SIP/tel URI as is, a number or user as `sip:<it>@<host of the call>`. */
export function referTarget(referTo: string, host: string | undefined): string {
  if (/^(sips?|tel):/i.test(referTo)) return referTo;
  return host ? `sip:${referTo}@${host}` : `sip:${referTo}`;
}

export const sipRefer: VerbHandler = {
  name: 'sip:refer',
  precondition: 'stable',
  async exec(ctx: VerbContext): Promise<void> {
    const v = ctx.verb;
    const s = ctx.services;
    const referTo = asString(v['referTo']);
    if (!referTo) {
      s.notifyError({ msg: 'invalid verb', details: 'sip:refer: missing referTo' }, v);
      return;
    }
    const host = s.channel.getVariable('sip_from_host');
    const r = await s.channel.transfer(referTarget(referTo, host));
    if (!r.ok) ctx.log.info({ err: r.error.message }, 'sip:refer failed');
    await s.performAction(hookOf(v['actionHook']), { refer_status: r.ok ? 202 : 500 }, v);
  },
};
