/**
 * Binding identity within an AOR. RFC 5626 section 6 (and RFC 5627): with +sip.instance and reg-id the
 * binding is the flow (instance, reg-id), so a UA that changes address replaces its old binding; with
 * +sip.instance alone, the instance. Otherwise the contact URI, compared per RFC 3261 section 19.1.4:
 * scheme, user, password, host (case-insensitive), port, and the user, ttl, method and maddr
 * parameters, which must match whenever either side has them. Other parameters (transport included)
 * do not take part, so a key is a stable string a shared store can index.
 */
import type { Params, SipUri } from '../message/index.ts';

const KEY_PARAMS = ['user', 'ttl', 'method', 'maddr'] as const;

/** +sip.instance without its quotes (`"<urn:uuid:...>"` -> `<urn:uuid:...>`). */
export function instanceIdOf(params: Params): string | undefined {
  const raw = params['+sip.instance'];
  if (raw === undefined || raw === null) return undefined;
  const v = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
  return v === '' ? undefined : v;
}

/** reg-id as a positive integer, if present and valid. */
export function regIdOf(params: Params): number | undefined {
  const raw = params['reg-id'];
  if (raw === undefined || raw === null || !/^\d{1,10}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 && n <= 2 ** 31 - 1 ? n : undefined;
}

export function contactUriKey(uri: SipUri): string {
  if (uri.scheme === 'tel') return `tel:${(uri.user ?? '').replace(/[-.()]/g, '')}`;
  if (uri.scheme !== 'sip' && uri.scheme !== 'sips') return `${uri.scheme}:${uri.opaque ?? uri.host}`;
  const pw = uri.password !== undefined ? `:${uri.password}` : '';
  const user = uri.user !== undefined ? `${uri.user}${pw}@` : '';
  const port = uri.port !== undefined ? `:${uri.port}` : '';
  let params = '';
  for (const name of KEY_PARAMS) {
    const v = uri.params[name];
    if (v !== undefined) params += `;${name}${v === null ? '' : `=${v.toLowerCase()}`}`;
  }
  return `${uri.scheme}:${user}${uri.host.toLowerCase()}${port}${params}`;
}

export function bindingKey(uri: SipUri, instanceId: string | undefined, regId: number | undefined): string {
  if (instanceId !== undefined) return `instance:${instanceId}${regId !== undefined ? `;reg-id=${regId}` : ''}`;
  return `uri:${contactUriKey(uri)}`;
}
