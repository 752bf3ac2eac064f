/**
 * The `refer_details` a referHook receives when the far end sends REFER (specs/jambonz.md §2.4 "dial
 * referHook"; the original's call-session.js `_handleRefer` and dial.js `handleRefer`): `sip_refer_to`,
 * `refer_to_user` (the user of a sip URI, the number of a tel URI), `sip_referred_by`,
 * `referred_by_user` and `sip_user_agent` when present, `referring_call_sid` (the leg that sent the
 * REFER), `referred_call_sid` (the other leg of a dial, null outside a dial), and every `X-` header of
 * the REFER as received. Pure.
 */
import type { RemoteTransfer } from '../../../../core/index.ts';

export function referDetails(t: Pick<RemoteTransfer, 'referTo' | 'referToUser' | 'referredBy' | 'referredByUser' | 'headers'>,
  referringCallSid: string, referredCallSid: string | null): Record<string, unknown> {
  const custom: Record<string, string> = {};
  let userAgent: string | undefined;
  for (const [name, value] of Object.entries(t.headers)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-')) custom[name] = value;
    else if (lower === 'user-agent') userAgent = value;
  }
  return {
    sip_refer_to: t.referTo,
    refer_to_user: t.referToUser,
    ...(t.referredBy !== undefined ? { sip_referred_by: t.referredBy } : {}),
    ...(userAgent !== undefined ? { sip_user_agent: userAgent } : {}),
    ...(t.referredByUser !== undefined ? { referred_by_user: t.referredByUser } : {}),
    referring_call_sid: referringCallSid,
    referred_call_sid: referredCallSid,
    ...custom,
  };
}
