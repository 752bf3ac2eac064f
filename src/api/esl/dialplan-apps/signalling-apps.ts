/**
 * SIP signalling applications (specs/esl.md §6 respond / redirect / deflect):
 * - `respond <code> [<reason>]` on an unanswered inbound leg: 180 (and other 1xx but 183) rings, 183
 *   sends early media, 200 answers, 300-699 rejects the call with that status and reason (the channel
 *   hangs up with the matching cause). On an answered or outbound leg only the 1xx/200 no-ops pass.
 * - `redirect <uri>`: an unanswered inbound leg gets `302 Moved Temporarily` with `Contact: <uri>`; an
 *   answered leg is moved with REFER, as deflect.
 * - `deflect <uri>`: REFER to the far end of an answered leg (the app waits for the REFER's answer);
 *   an unanswered leg is redirected with 302.
 * The core's hangup carries the status and headers to the endpoint (a reject for an unanswered leg).
 */
import { sipStatusToCause, type Channel } from '../../../core/index.ts';
import type { AppFn } from '../apps.ts';

/** `<code> [reason]` -> status and reason; undefined when not a SIP status. */
export function parseRespondArg(arg: string): { status: number; reason?: string } | undefined {
  const m = /^\s*(\d{3})(?:\s+(.*\S))?\s*$/.exec(arg);
  if (!m) return undefined;
  const status = Number(m[1]);
  if (status < 100 || status > 699) return undefined;
  return { status, ...(m[2] === undefined ? {} : { reason: m[2] }) };
}

/** `sip:x@y` or `<sip:x@y>` -> the Contact header value (angle brackets added). */
export function contactOf(uri: string): string {
  const t = uri.trim();
  return t.startsWith('<') || t.includes(' <') ? t : `<${t}>`;
}

function unansweredInbound(ch: Channel): boolean {
  return ch.direction === 'inbound' && !ch.answered && !ch.ended;
}

export const respond: AppFn = async (ch, arg) => {
  const parsed = parseRespondArg(arg);
  if (!parsed) {
    ch.log.warn({ arg }, 'respond: not a SIP status');
    return '-ERR';
  }
  const { status, reason } = parsed;
  if (status === 200) return (await ch.answer()).ok ? '_none_' : '-ERR';
  if (status < 200) {
    if (!unansweredInbound(ch)) return '_none_';
    const r = status === 183 ? await ch.preAnswer() : await ch.ringing();
    return r.ok ? '_none_' : '-ERR';
  }
  if (!unansweredInbound(ch)) {
    ch.log.warn({ status }, 'respond: the call is already answered or not inbound; no final response sent');
    return '-ERR';
  }
  await ch.hangup(sipStatusToCause(status), { sipStatus: status, ...(reason === undefined ? {} : { reason }) });
  return '_none_';
};

async function redirect302(ch: Channel, uri: string): Promise<string> {
  await ch.hangup(sipStatusToCause(302), { sipStatus: 302, reason: 'Moved Temporarily', headers: { Contact: contactOf(uri) } });
  return '_none_';
}

async function refer(ch: Channel, uri: string, app: string): Promise<string> {
  const r = await ch.transfer(uri.trim().replace(/^<(.*)>$/, '$1'));
  if (!r.ok) {
    ch.log.warn({ uri, err: r.error.message }, `${app}: REFER refused`);
    return '-ERR';
  }
  return '_none_';
}

export const redirectApp: AppFn = async (ch, arg) => {
  const uri = arg.trim();
  if (uri === '') return '-ERR';
  if (unansweredInbound(ch)) return redirect302(ch, uri);
  return refer(ch, uri, 'redirect');
};

export const deflect: AppFn = async (ch, arg) => {
  const uri = arg.trim();
  if (uri === '') return '-ERR';
  if (unansweredInbound(ch)) return redirect302(ch, uri);
  return refer(ch, uri, 'deflect');
};
