/**
 * message/sipfrag bodies (RFC 3420) as REFER uses them (RFC 3515 section 2.4.5): the NOTIFYs of the
 * implicit subscription carry the status line of the response the referred request got, e.g.
 * "SIP/2.0 200 OK".
 */
import { reasonPhrase } from '../message/index.ts';

export const SIPFRAG_CONTENT_TYPE = 'message/sipfrag;version=2.0';

export interface StatusLine {
  status: number;
  reason: string;
}

/** A sipfrag body holding a status line. */
export function formatSipfrag(status: number, reason?: string): string {
  return `SIP/2.0 ${status} ${reason ?? reasonPhrase(status)}\r\n`;
}

/** The status line at the start of a sipfrag body, or undefined when it does not start with one. */
export function parseSipfrag(body: Buffer | string): StatusLine | undefined {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  const m = /^SIP\/2\.0\s+(\d{3})(?:\s+(.*))?$/i.exec(line.trim());
  if (!m) return undefined;
  const status = Number(m[1]);
  if (status < 100 || status > 699) return undefined;
  return { status, reason: (m[2] ?? '').trim() };
}
