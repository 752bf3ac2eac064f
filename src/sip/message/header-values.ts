/**
 * Readers for the header fields a SIP message exposes as typed values (RFC 3261 section 20): each takes
 * the message's header list and returns the parsed value or throws SipParseError with a reason fit for a
 * 400 response. message.ts caches their results per header-list version.
 */
import type { CSeq, ContactValue, NameAddr, Params, Via } from './types.ts';
import type { SipHeaders } from './headers.ts';
import { C_TOKEN, C_WORD, allChars, scanClass, skipWs, trimEndIndex } from './chars.ts';
import { SipParseError, rethrowAs } from './errors.ts';
import { parseCSeq } from './cseq.ts';
import { parseContactList, parseNameAddr, parseNameAddrList } from './name-addr.ts';
import { parseParamsAt } from './params.ts';
import { splitHeaderValues } from './split.ts';
import { parseViaList } from './via.ts';

function required(h: SipHeaders, key: string, label: string): string {
  const v = h.getByKey(key);
  if (v === undefined) throw new SipParseError(`Missing ${label}`);
  return v;
}

export function readVias(h: SipHeaders): Via[] {
  const fields = h.getAllByKey('via');
  if (fields.length === 1) {
    try {
      return parseViaList(fields[0]!);
    } catch (err) {
      rethrowAs('Bad Via', err);
    }
  }
  const out: Via[] = [];
  for (const f of fields) {
    try {
      for (const v of parseViaList(f)) out.push(v);
    } catch (err) {
      rethrowAs('Bad Via', err);
    }
  }
  return out;
}

function readAddress(h: SipHeaders, key: string, label: string): NameAddr {
  const v = required(h, key, label);
  try {
    return parseNameAddr(v);
  } catch (err) {
    rethrowAs(`Bad ${label}`, err);
  }
}

export function readFrom(h: SipHeaders): NameAddr {
  return readAddress(h, 'from', 'From');
}

export function readTo(h: SipHeaders): NameAddr {
  return readAddress(h, 'to', 'To');
}

/** callid = word [ "@" word ] */
export function readCallId(h: SipHeaders): string {
  const v = required(h, 'call-id', 'Call-ID').trim();
  const at = v.indexOf('@');
  const ok = at < 0 ? allChars(v, C_WORD) : allChars(v, C_WORD, 0, at) && allChars(v, C_WORD, at + 1);
  if (!ok) throw new SipParseError('Bad Call-ID', { detail: `Call-ID is not word["@"word]: "${v}"` });
  return v;
}

export function readCSeq(h: SipHeaders): CSeq {
  return parseCSeq(required(h, 'cseq', 'CSeq'));
}

export function readContacts(h: SipHeaders): ContactValue[] {
  const out: ContactValue[] = [];
  for (const f of h.getAllByKey('contact')) {
    try {
      for (const c of parseContactList(f)) out.push(c);
    } catch (err) {
      rethrowAs('Bad Contact', err);
    }
  }
  if (out.length > 1 && out.includes('*')) throw new SipParseError('Bad Contact', { detail: 'Contact "*" must be alone' });
  return out;
}

export function readAddressList(h: SipHeaders, key: string, label: string): NameAddr[] {
  const out: NameAddr[] = [];
  for (const f of h.getAllByKey(key)) {
    try {
      for (const r of parseNameAddrList(f)) out.push(r);
    } catch (err) {
      rethrowAs(`Bad ${label}`, err);
    }
  }
  return out;
}

function digits(v: string): boolean {
  if (v.length === 0) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Max-Forwards = 1*DIGIT, an integer in 0..255 (RFC 3261 section 20.22). */
export function readMaxForwards(h: SipHeaders): number | undefined {
  const raw = h.getByKey('max-forwards');
  if (raw === undefined) return undefined;
  const v = raw.trim();
  if (!digits(v) || v.length > 10 || Number(v) > 255) throw new SipParseError('Bad Max-Forwards');
  return Number(v);
}

/** delta-seconds = 1*DIGIT; values past 2**32-1 count as 2**32-1 (RFC 3261 sections 20.19, 25.1). */
export function readExpires(h: SipHeaders): number | undefined {
  const raw = h.getByKey('expires');
  if (raw === undefined) return undefined;
  const v = raw.trim();
  if (!digits(v)) throw new SipParseError('Bad Expires');
  return v.length > 10 ? 2 ** 32 - 1 : Math.min(Number(v), 2 ** 32 - 1);
}

/** Content-Length = 1*DIGIT (RFC 3261 section 20.14). Returns -1 for a malformed value. */
export function contentLengthValue(raw: string): number {
  const v = raw.trim();
  if (!digits(v) || v.length > 15) return -1;
  return Number(v);
}

export interface MediaType {
  /** "type/subtype", lower-case. */
  type: string;
  params: Params;
}

/** media-type = m-type SLASH m-subtype *(SEMI m-parameter) (RFC 3261 section 20.15). */
export function parseMediaType(raw: string): MediaType {
  const end = trimEndIndex(raw, 0, raw.length);
  const a = skipWs(raw, 0, end);
  const slash = scanClass(raw, a, C_TOKEN, end);
  if (slash === a) throw new SipParseError('Bad Content-Type');
  let b = skipWs(raw, slash, end);
  if (raw.charCodeAt(b) !== 47) throw new SipParseError('Bad Content-Type');
  b = skipWs(raw, b + 1, end);
  const subEnd = scanClass(raw, b, C_TOKEN, end);
  if (subEnd === b) throw new SipParseError('Bad Content-Type');
  const params: Params = {};
  let stop: number;
  try {
    stop = parseParamsAt(raw, subEnd, end, params);
  } catch (err) {
    rethrowAs('Bad Content-Type', err);
  }
  if (stop !== end) throw new SipParseError('Bad Content-Type');
  return { type: (raw.slice(a, slash) + '/' + raw.slice(b, subEnd)).toLowerCase(), params };
}

export function readContentType(h: SipHeaders): MediaType | undefined {
  const raw = h.getByKey('content-type');
  return raw === undefined ? undefined : parseMediaType(raw);
}

/** Option tags of Require / Supported / Proxy-Require / Unsupported (RFC 3261 sections 20.32, 20.37). */
export function readTokens(h: SipHeaders, key: string, label: string): string[] {
  const out: string[] = [];
  for (const f of h.getAllByKey(key)) {
    for (const t of splitHeaderValues(f)) {
      if (!allChars(t, C_TOKEN)) throw new SipParseError(`Bad ${label}`);
      out.push(t);
    }
  }
  return out;
}
