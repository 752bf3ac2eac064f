/**
 * CSeq (RFC 3261 sections 8.1.1.5, 20.16 and 25.1): CSeq = 1*DIGIT LWS Method. The sequence number is
 * a 32-bit unsigned integer that must be less than 2**31.
 */
import type { CSeq } from './types.ts';
import { C_TOKEN, isWsp, scanClass, skipWs, trimEndIndex } from './chars.ts';
import { SipParseError } from './errors.ts';

export const MAX_CSEQ = 2 ** 31 - 1;

/** Parses a CSeq value. Reasons: "Bad CSeq number", "Bad CSeq method". */
export function parseCSeq(s: string): CSeq {
  const end = trimEndIndex(s, 0, s.length);
  const start = skipWs(s, 0, end);
  let i = start;
  let seq = 0;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    seq = seq * 10 + (c - 48);
    i++;
  }
  if (i === start || seq > MAX_CSEQ) {
    throw new SipParseError('Bad CSeq number', { detail: `CSeq number out of range 0..2^31-1 in "${s}"` });
  }
  if (i >= end || !isWsp(s.charCodeAt(i))) throw new SipParseError('Bad CSeq method', { detail: `Missing method in CSeq "${s}"` });
  const m = skipWs(s, i, end);
  if (scanClass(s, m, C_TOKEN, end) !== end || m === end) {
    throw new SipParseError('Bad CSeq method', { detail: `CSeq method is not a token in "${s}"` });
  }
  return { seq, method: s.slice(m, end) };
}

export function formatCSeq(c: CSeq): string {
  return `${c.seq} ${c.method}`;
}
