/**
 * Percent-encoding of URI components (RFC 3261 section 19.1.2 and 25.1 "escaped", RFC 3986 section 2.1).
 * Escaped octets are UTF-8; unescaping an invalid escape (not "%" HEXDIG HEXDIG) is a parse error.
 */
import { C_HEX, inAny, isChar } from './chars.ts';
import { SipParseError } from './errors.ts';

function hexValue(c: number): number {
  if (c <= 57) return c - 48;
  return (c | 32) - 87;
}

/**
 * Resolves %XX escapes in s[start, end). The octets are decoded as UTF-8 (an invalid sequence becomes
 * U+FFFD).
 */
export function unescapeUri(s: string, start = 0, end = s.length): string {
  const pct = s.indexOf('%', start);
  if (pct < 0 || pct >= end) return start === 0 && end === s.length ? s : s.slice(start, end);
  const bytes: number[] = [];
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      const h = s.charCodeAt(i + 1);
      const l = s.charCodeAt(i + 2);
      if (i + 2 >= end || !isChar(h, C_HEX) || !isChar(l, C_HEX)) {
        throw new SipParseError('Bad URI escape', { detail: `Bad escape sequence in "${s.slice(start, end)}"` });
      }
      bytes.push(hexValue(h) * 16 + hexValue(l));
      i += 2;
    } else if (c < 128) {
      bytes.push(c);
    } else {
      const cp = s.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
      i += ch.length - 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

const HEX = '0123456789ABCDEF';

/**
 * Escapes every character of s outside the classes `allowed` (flags from chars.ts). "%" is always
 * escaped. Non-ASCII characters are escaped as their UTF-8 octets.
 */
export function escapeUri(s: string, allowed: number): string {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 || !inAny(c, allowed)) break;
  }
  if (i === s.length) return s;
  let out = s.slice(0, i);
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 37 && inAny(c, allowed)) {
      out += s[i];
      continue;
    }
    let ch = s[i]!;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      ch += s[i + 1];
      i++;
    }
    for (const b of Buffer.from(ch, 'utf8')) out += '%' + HEX[b >> 4] + HEX[b & 15];
  }
  return out;
}
