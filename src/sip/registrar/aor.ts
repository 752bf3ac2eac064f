/**
 * Canonical address-of-record (RFC 3261 section 10.3 step 5): the To URI with URI parameters and
 * headers removed and the user part unescaped. This registrar also folds sips into sip, lower-cases the
 * host and drops the port, so a user registering over TLS and UDP, or through a proxy that adds a
 * port, has one AOR. tel URIs keep their number without visual separators (RFC 3966 section 5.1.1).
 */
import type { SipUri } from '../message/index.ts';

/** The AOR string, or undefined when the URI cannot name a user (no user part, unknown scheme). */
export function canonicalAor(uri: SipUri): string | undefined {
  if (uri.scheme === 'tel') {
    const n = (uri.user ?? '').replace(/[-.()]/g, '');
    return n === '' ? undefined : `tel:${n}`;
  }
  if (uri.scheme !== 'sip' && uri.scheme !== 'sips') return undefined;
  if (uri.user === undefined || uri.user === '' || uri.host === '') return undefined;
  return `sip:${uri.user}@${uri.host.toLowerCase()}`;
}

/** The user part of a canonical AOR ("alice" for "sip:alice@example.com", the number for tel). */
export function aorUser(aor: string): string {
  if (aor.startsWith('tel:')) return aor.slice(4);
  const rest = aor.slice(aor.indexOf(':') + 1);
  return rest.slice(0, rest.lastIndexOf('@'));
}
