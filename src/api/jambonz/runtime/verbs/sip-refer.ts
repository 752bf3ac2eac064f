/**
 * `sip:refer` (specs/jambonz.md §3.A, §2.4 "sip:refer actionHook"): transfers an answered call with
 * REFER to `referTo`. Each NOTIFY sipfrag status line goes to the eventHook as
 * `{event: 'transfer-status', call_status: <sip code>}`; the actionHook gets `refer_status` (202 when
 * accepted, else the refusal's status, 500 without one) and `final_referred_call_status` once a final
 * NOTIFY arrived — without one it fires after 15 s with `refer_status` only.
 */
import type { TransferProgress } from '../../../../core/index.ts';
import { asString } from '../verb-data.ts';
import { hookOf, sleep, type VerbContext, type VerbHandler } from './verb.ts';

/** How long the actionHook waits for the final NOTIFY after the REFER was accepted. */
export const REFER_FINAL_NOTIFY_WAIT_MS = 15_000;

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
    const eventHook = hookOf(v['eventHook']);
    let final: TransferProgress | undefined;
    let finalSeen: () => void = () => {};
    const finalArrived = new Promise<void>((resolve) => { finalSeen = resolve; });
    const r = await s.channel.transfer(referTarget(referTo, host), {
      onProgress: (p) => {
        ctx.log.debug({ status: p.status, final: p.final }, 'sip:refer progress');
        if (eventHook) s.notifyHook(eventHook, { event: 'transfer-status', call_status: p.status }, v);
        if (p.final && !final) {
          final = p;
          finalSeen();
        }
      },
    });
    if (!r.ok) {
      ctx.log.info({ err: r.error.message }, 'sip:refer failed');
      const status = (r.error as { sipStatus?: unknown }).sipStatus;
      await s.performAction(hookOf(v['actionHook']), { refer_status: typeof status === 'number' ? status : 500 }, v);
      return;
    }
    if (!final) {
      const timer = new AbortController();
      const onAbort = (): void => timer.abort();
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      await Promise.race([finalArrived, sleep(s.clock, REFER_FINAL_NOTIFY_WAIT_MS, timer.signal)]);
      timer.abort();
      ctx.signal.removeEventListener('abort', onAbort);
      if (ctx.signal.aborted) return;
    }
    const reached = final as TransferProgress | undefined;
    await s.performAction(hookOf(v['actionHook']), {
      refer_status: 202, ...(reached ? { final_referred_call_status: reached.status } : {}),
    }, v);
  },
};
