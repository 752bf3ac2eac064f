/**
 * `sip:request` (specs/jambonz.md §3.B, §2.4): an in-dialog request on an answered call; the actionHook
 * gets `{result: 'success', sip_status}` or `{result: 'failed', err}`. INFO, MESSAGE, NOTIFY and OPTIONS
 * go out through the call core; other methods fail with a clear error.
 */
import type { Channel } from '../../../../core/index.ts';
import { asHeaders, asString } from '../verb-data.ts';
import { hookOf, type VerbContext, type VerbHandler } from './verb.ts';

export interface SipRequestData {
  method: string;
  contentType?: string;
  body?: string;
  headers?: Record<string, string>;
}

export type SipRequestOutcome = { ok: true; status: number } | { ok: false; error: string };

/** The in-dialog methods an application may send. */
export const SIP_REQUEST_METHODS: readonly string[] = ['INFO', 'MESSAGE', 'NOTIFY', 'OPTIONS'];

/** Sends an in-dialog request through the channel (used by the verb, the WS command and REST). */
export async function sendSipRequest(channel: Channel, req: SipRequestData): Promise<SipRequestOutcome> {
  const method = req.method.toUpperCase();
  if (!SIP_REQUEST_METHODS.includes(method)) {
    return { ok: false, error: `sip:request: method ${method} is not supported (${SIP_REQUEST_METHODS.join(', ')})` };
  }
  if (!channel.answered || channel.ended) return { ok: false, error: 'sip:request: the call is not answered' };
  const r = await channel.sendInfo({
    method, contentType: req.contentType ?? 'text/plain', body: req.body ?? '', ...(req.headers ? { headers: req.headers } : {}),
  });
  return r.ok ? { ok: true, status: 200 } : { ok: false, error: r.error.message };
}

export const sipRequest: VerbHandler = {
  name: 'sip:request',
  precondition: 'stable',
  async exec(ctx: VerbContext): Promise<void> {
    const v = ctx.verb;
    const method = asString(v['method']) ?? '';
    const headers = asHeaders(v['headers']);
    const r = await sendSipRequest(ctx.services.channel, {
      method, body: asString(v['body']) ?? '', ...(headers ? { headers } : {}),
      ...(headers?.['Content-Type'] ? { contentType: headers['Content-Type'] } : {}),
    });
    if (!r.ok) ctx.log.info({ err: r.error }, 'sip:request failed');
    const payload = r.ok ? { result: 'success', sip_status: r.status } : { result: 'failed', err: r.error };
    await ctx.services.performAction(hookOf(v['actionHook']), payload, v);
  },
};
