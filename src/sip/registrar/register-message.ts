/**
 * The outbound REGISTER on the wire (RFC 3261 section 10.2): building the request, and reading what the
 * registrar granted from its 2xx (10.2.4: the expires parameter of our Contact, else the Expires header).
 */
import { SipRequest, type SipResponse, parseNameAddr, uriEquals } from '../message/index.ts';
import { parseDeltaSeconds } from './register-plan.ts';

export interface RegisterRequestSpec {
  /** Request-URI (the registrar's domain, no user part). */
  registrar: string;
  /** The AOR for To and From, as a URI or a name-addr. */
  aor: string;
  /** Contact header value. */
  contact: string;
  fromTag: string;
  callId: string;
  cseq: number;
  /** Expires header value in seconds; 0 unregisters. */
  expires: number;
  headers?: ReadonlyArray<readonly [string, string]>;
}

function asNameAddr(v: string): string {
  return v.includes('<') ? v : `<${v}>`;
}

/** A REGISTER without Via (the transaction layer adds it). */
export function buildRegisterRequest(spec: RegisterRequestSpec): SipRequest {
  const fields: Array<readonly [string, string]> = [
    ['Max-Forwards', '70'],
    ['To', asNameAddr(spec.aor)],
    ['From', `${asNameAddr(spec.aor)};tag=${spec.fromTag}`],
    ['Call-ID', spec.callId],
    ['CSeq', `${spec.cseq} REGISTER`],
    ['Contact', spec.contact],
    ['Expires', String(spec.expires)],
    ...(spec.headers ?? []),
    ['Content-Length', '0'],
  ];
  return new SipRequest('REGISTER', spec.registrar, fields);
}

/** A header holding delta-seconds (Min-Expires, Retry-After without comment); undefined if absent/bad. */
export function headerNumber(res: SipResponse, name: string): number | undefined {
  const raw = res.headers.get(name);
  if (raw === undefined) return undefined;
  return parseDeltaSeconds(raw.split(/[;(]/)[0]);
}

/**
 * The expiry the registrar granted our contact: its expires parameter in the 2xx Contact list, else the
 * Expires header, else what was requested.
 */
export function grantedExpires(res: SipResponse, contact: string, requested: number): number {
  let listed: ReturnType<typeof parseNameAddr>[] = [];
  try {
    listed = res.contacts.filter((c) => c !== '*');
  } catch {
    listed = [];
  }
  if (listed.length > 0) {
    try {
      const ours = parseNameAddr(contact).uri;
      // Some registrars behind NAT-aware proxies list the contact rewritten: then the only one stands for ours.
      const mine = listed.find((c) => uriEquals(c.uri, ours)) ?? (listed.length === 1 ? listed[0] : undefined);
      const fromParam = parseDeltaSeconds(mine?.params['expires']);
      if (fromParam !== undefined) return fromParam;
    } catch {
      // Unparsable contact of ours: fall through to the header.
    }
  }
  let header: number | undefined;
  try {
    header = res.expires;
  } catch {
    header = undefined;
  }
  return header ?? requested;
}
