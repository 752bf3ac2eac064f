/**
 * Comparison of the digest `uri` parameter with the Request-URI (RFC 3261 section 22.4, RFC 7616
 * section 3.4.6). Exact equality is the rule; as a tolerance for clients that change case, scheme, host
 * and parameters compare case-insensitively while the user part stays case-sensitive.
 */

function normalize(uri: string): string {
  let s = uri.trim();
  if (s.startsWith('<') && s.endsWith('>')) s = s.slice(1, -1);
  const colon = s.indexOf(':');
  if (colon <= 0) return s;
  const scheme = s.slice(0, colon).toLowerCase();
  let rest = s.slice(colon + 1);
  const q = rest.indexOf('?');
  const headers = q >= 0 ? rest.slice(q) : '';
  if (q >= 0) rest = rest.slice(0, q);
  const at = rest.lastIndexOf('@');
  const user = at >= 0 ? rest.slice(0, at + 1) : '';
  const hostAndParams = (at >= 0 ? rest.slice(at + 1) : rest).toLowerCase();
  return `${scheme}:${user}${hostAndParams}${headers}`;
}

export function digestUriMatches(digestUri: string, requestUri: string): boolean {
  return digestUri === requestUri || normalize(digestUri) === normalize(requestUri);
}
