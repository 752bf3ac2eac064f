/**
 * Character classes of the SIP grammar (RFC 3261 section 25.1, RFC 3966 section 3 for tel URIs) as a
 * lookup table, plus small scanners over them. Everything here works on UTF-16 code units: any code unit
 * of 0x80 or more belongs to no class (the grammar admits non-ASCII only as UTF8-NONASCII in quoted
 * strings, reason phrases and header values, which are handled by their own scanners).
 */

/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
export const C_TOKEN = 1;
/** word (Call-ID): token chars plus ( ) < > : \ DQUOTE / [ ] ? { } */
export const C_WORD = 2;
/** unreserved = alphanum / mark */
export const C_UNRESERVED = 4;
/** user = 1*(unreserved / escaped / user-unreserved) — escaped ("%") is handled by the scanner. */
export const C_USER = 8;
/** password = *(unreserved / escaped / "&" / "=" / "+" / "$" / ",") */
export const C_PASSWORD = 16;
/** paramchar = param-unreserved / unreserved / escaped */
export const C_PARAM = 32;
/** hname / hvalue = 1*(hnv-unreserved / unreserved / escaped) */
export const C_HNV = 64;
/** hostname and IPv4 characters (alphanum "-" "." and, leniently, "_") */
export const C_HOST = 128;
/** scheme = ALPHA *(ALPHA / DIGIT / "+" / "-" / ".") */
export const C_SCHEME = 256;
/** hex digits */
export const C_HEX = 512;
/** characters of an IPv6 reference between the brackets */
export const C_IPV6 = 1024;

const table = new Uint16Array(128);

function mark(chars: string, flags: number): void {
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)]! |= flags;
}

const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGIT = '0123456789';
const ALNUM = ALPHA + DIGIT;
const MARK = "-_.!~*'()";

mark(ALNUM + "-.!%*_+`'~", C_TOKEN);
mark(ALNUM + "-.!%*_+`'~" + '()<>:\\"/[]?{}', C_WORD);
mark(ALNUM + MARK, C_UNRESERVED | C_USER | C_PASSWORD | C_PARAM | C_HNV);
mark('&=+$,;?/', C_USER);
mark('&=+$,', C_PASSWORD);
mark('[]/:&+$', C_PARAM);
mark('[]/?:+$', C_HNV);
mark(ALNUM + '-._', C_HOST);
mark(ALNUM + '+-.', C_SCHEME);
mark(DIGIT + 'abcdefABCDEF', C_HEX);
mark(DIGIT + 'abcdefABCDEF:.', C_IPV6);

/** True when code unit `c` belongs to every class in `flags`. */
export function isChar(c: number, flags: number): boolean {
  return c < 128 && (table[c]! & flags) === flags;
}

/** True when `c` is in at least one class of `flags`. */
export function inAny(c: number, flags: number): boolean {
  return c < 128 && (table[c]! & flags) !== 0;
}

/** True when every code unit of s[start, end) is in class `flag` (and the range is not empty). */
export function allChars(s: string, flag: number, start = 0, end = s.length): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || (table[c]! & flag) === 0) return false;
  }
  return true;
}

export function isToken(s: string): boolean {
  return allChars(s, C_TOKEN);
}

/** SP or HTAB */
export function isWsp(c: number): boolean {
  return c === 32 || c === 9;
}

/** Index of the first non-SP/HTAB character at or after i (never past end). */
export function skipWs(s: string, i: number, end = s.length): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i;
}

/** End (exclusive) of s[start, end) with trailing SP/HTAB removed. */
export function trimEndIndex(s: string, start: number, end: number): number {
  while (end > start) {
    const c = s.charCodeAt(end - 1);
    if (c !== 32 && c !== 9) break;
    end--;
  }
  return end;
}

/** Index just past the run of class `flag` characters starting at i. */
export function scanClass(s: string, i: number, flag: number, end = s.length): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c >= 128 || (table[c]! & flag) === 0) break;
    i++;
  }
  return i;
}

/**
 * quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE. `i` points at the opening quote. Returns the
 * index just past the closing quote, or -1 when the string is unterminated or holds CR/LF in a
 * quoted-pair.
 */
export function quotedEnd(s: string, i: number, end = s.length): number {
  for (let j = i + 1; j < end; j++) {
    const c = s.charCodeAt(j);
    if (c === 34) return j + 1;
    if (c === 92) {
      const n = s.charCodeAt(j + 1);
      if (j + 1 >= end || n === 13 || n === 10) return -1;
      j++;
    }
  }
  return -1;
}

/** The text of a quoted-string without its quotes and with quoted-pairs resolved. */
export function unquote(quoted: string): string {
  const inner = quoted.slice(1, -1);
  if (inner.indexOf('\\') < 0) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i]!;
    if (ch === '\\' && i + 1 < inner.length) {
      out += inner[i + 1];
      i++;
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * Wraps text as a quoted-string, escaping `"` and `\`. CR and LF cannot appear in a quoted-string, not
 * even escaped, so they become spaces.
 */
export function quote(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 92) out += '\\' + text[i];
    else if (c === 13 || c === 10) out += ' ';
    else out += text[i];
  }
  return out + '"';
}
