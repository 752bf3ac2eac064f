/**
 * Dial targets the SIP endpoint serves, in the forms jambonz dial targets and FreeSWITCH dial strings
 * use: a SIP or SIPS URI (RFC 3261 section 19.1), `sofia/<profile>/<uri>`, and `user/<name>[@domain]`
 * for a user registered here (RFC 3261 section 10 location service).
 */
import { parseUri, type SipUri } from '../../sip/index.ts';

export type SipTarget =
  | { kind: 'uri'; uri: SipUri; text: string }
  | { kind: 'user'; user: string; domain: string | undefined };

export type SipTargetResult = { ok: true; target: SipTarget } | { ok: false; reason: string };

const USER = /^[A-Za-z0-9._~+*#-]{1,64}$/;

export function parseSipTarget(target: string): SipTargetResult {
  const t = target.trim();
  const lower = t.toLowerCase();
  if (lower.startsWith('user/')) {
    const rest = t.slice(5);
    const at = rest.indexOf('@');
    const user = at < 0 ? rest : rest.slice(0, at);
    const domain = at < 0 ? undefined : rest.slice(at + 1);
    if (!USER.test(user)) return { ok: false, reason: `bad user in ${t}` };
    if (domain !== undefined && !/^[A-Za-z0-9.:[\]-]+$/.test(domain)) return { ok: false, reason: `bad domain in ${t}` };
    return { ok: true, target: { kind: 'user', user, domain } };
  }
  let text = t;
  if (lower.startsWith('sofia/')) {
    const parts = t.split('/');
    text = parts.slice(2).join('/');
    if (!/^sips?:/i.test(text)) text = `sip:${text}`;
  }
  if (!/^sips?:/i.test(text)) return { ok: false, reason: `not a SIP target: ${t}` };
  try {
    const uri = parseUri(text);
    if (!uri.host) return { ok: false, reason: `no host in ${t}` };
    return { ok: true, target: { kind: 'uri', uri, text } };
  } catch {
    return { ok: false, reason: `bad SIP URI ${t}` };
  }
}
