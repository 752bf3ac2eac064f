/**
 * Header field names: case-insensitive matching (RFC 3261 section 7.3.1), compact forms (section 7.3.3
 * and the IANA "Header Fields" registry) and the canonical spelling used when writing a message.
 */

/** Canonical spellings of the header fields this stack knows; others keep the spelling they came with. */
const CANONICAL = [
  'Accept', 'Accept-Contact', 'Accept-Encoding', 'Accept-Language', 'Accept-Resource-Priority', 'Alert-Info',
  'Allow', 'Allow-Events', 'Answer-Mode', 'Authentication-Info', 'Authorization', 'Call-ID', 'Call-Info',
  'Contact', 'Content-Disposition', 'Content-Encoding', 'Content-ID', 'Content-Language', 'Content-Length',
  'Content-Transfer-Encoding', 'Content-Type', 'CSeq', 'Date', 'Diversion', 'Error-Info', 'Event', 'Expires',
  'Feature-Caps', 'Flow-Timer', 'From', 'Geolocation', 'Geolocation-Error', 'Geolocation-Routing', 'History-Info',
  'Identity', 'Identity-Info', 'In-Reply-To', 'Info-Package', 'Join', 'Max-Breadth', 'Max-Forwards', 'MIME-Version',
  'Min-Expires', 'Min-SE', 'Organization', 'P-Access-Network-Info', 'P-Asserted-Identity', 'P-Associated-URI',
  'P-Called-Party-ID', 'P-Charging-Function-Addresses', 'P-Charging-Vector', 'P-Early-Media',
  'P-Preferred-Identity', 'P-Visited-Network-ID', 'Path', 'Priority', 'Privacy', 'Proxy-Authenticate',
  'Proxy-Authorization', 'Proxy-Require', 'RAck', 'Reason', 'Record-Route', 'Recv-Info', 'Refer-Sub', 'Refer-To',
  'Referred-By', 'Reject-Contact', 'Remote-Party-ID', 'Replaces', 'Reply-To', 'Request-Disposition', 'Require',
  'Resource-Priority', 'Retry-After', 'Route', 'RSeq', 'Security-Client', 'Security-Server', 'Security-Verify',
  'Server', 'Service-Route', 'Session-Expires', 'Session-ID', 'SIP-ETag', 'SIP-If-Match', 'Subject',
  'Subscription-State', 'Supported', 'Suppress-If-Match', 'Target-Dialog', 'Timestamp', 'To', 'Trigger-Consent',
  'Unsupported', 'User-Agent', 'User-to-User', 'Via', 'Warning', 'WWW-Authenticate',
];

/** Compact forms (RFC 3261 7.3.3, RFC 3265, RFC 3515, RFC 3892, RFC 3841, RFC 4028, RFC 4474, RFC 8224). */
const COMPACT: Record<string, string> = {
  a: 'Accept-Contact', b: 'Referred-By', c: 'Content-Type', d: 'Request-Disposition', e: 'Content-Encoding',
  f: 'From', i: 'Call-ID', j: 'Reject-Contact', k: 'Supported', l: 'Content-Length', m: 'Contact',
  n: 'Identity-Info', o: 'Event', r: 'Refer-To', s: 'Subject', t: 'To', u: 'Allow-Events', v: 'Via',
  x: 'Session-Expires', y: 'Identity',
};

export interface HeaderName {
  /** Lower-case canonical name, used for lookups ("call-id" for "i", "Call-Id" and "CALL-ID"). */
  key: string;
  /** Spelling used when writing the message. */
  name: string;
}

const known = new Map<string, HeaderName>();
for (const name of CANONICAL) known.set(name.toLowerCase(), { key: name.toLowerCase(), name });
for (const [short, long] of Object.entries(COMPACT)) known.set(short, known.get(long.toLowerCase())!);

/** Memo of spellings seen so far (bounded, so random names from peers cannot grow it without limit). */
const seen = new Map<string, HeaderName>();
const SEEN_LIMIT = 2000;
for (const [k, v] of known) {
  seen.set(k, v);
  seen.set(v.name, v);
}

/** Hash of a header name as parseHeaderLines computes it while scanning the name. */
export function nameHashStep(h: number, c: number): number {
  return (Math.imul(h, 31) + c) | 0;
}

interface Spelling {
  spelling: string;
  hash: number;
  info: HeaderName;
}

/** Spellings recognised without allocating (canonical, lower-case, compact), in a small hash table. */
const TABLE_MASK = 1023;
const table: (Spelling[] | undefined)[] = new Array<Spelling[] | undefined>(TABLE_MASK + 1);
function addSpelling(spelling: string, info: HeaderName): void {
  let hash = 0;
  for (let i = 0; i < spelling.length; i++) hash = nameHashStep(hash, spelling.charCodeAt(i));
  const bucket = (table[hash & TABLE_MASK] ??= []);
  if (!bucket.some((e) => e.spelling === spelling)) bucket.push({ spelling, hash, info });
}
for (const v of known.values()) {
  addSpelling(v.name, v);
  addSpelling(v.key, v);
}
for (const [short, long] of Object.entries(COMPACT)) {
  const info = known.get(long.toLowerCase())!;
  addSpelling(short, info);
  addSpelling(short.toUpperCase(), info);
}
addSpelling('Call-Id', known.get('call-id')!);
addSpelling('Cseq', known.get('cseq')!);

/**
 * Resolves the header name text[start, end), whose hash (nameHashStep over its characters) the caller
 * computed, without slicing it when it is a usual spelling; falls back to headerName() otherwise.
 */
export function headerNameAt(text: string, start: number, end: number, hash: number): HeaderName {
  const bucket = table[hash & TABLE_MASK];
  if (bucket !== undefined) {
    const len = end - start;
    for (let i = 0; i < bucket.length; i++) {
      const e = bucket[i]!;
      if (e.hash === hash && e.spelling.length === len && text.startsWith(e.spelling, start)) return e.info;
    }
  }
  return headerName(text.slice(start, end));
}

/** Resolves any spelling (any case, compact or full) to its lookup key and output spelling. */
export function headerName(raw: string): HeaderName {
  const hit = seen.get(raw);
  if (hit !== undefined) return hit;
  const lower = raw.toLowerCase();
  const info = known.get(lower) ?? { key: lower, name: raw };
  if (seen.size < SEEN_LIMIT) seen.set(raw, info);
  return info;
}

/** Lookup key of a header name: lower-case, compact forms expanded. */
export function headerKey(raw: string): string {
  return headerName(raw).key;
}

/** The canonical spelling of a header name ("call-id" -> "Call-ID", "v" -> "Via"). */
export function canonicalHeaderName(raw: string): string {
  return headerName(raw).name;
}
