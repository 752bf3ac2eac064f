/**
 * The header section of a message or of a MIME body part (RFC 3261 sections 7.3 and 7.3.1, RFC 2045):
 * `field-name HCOLON field-value CRLF` lines, where a line starting with SP or HTAB continues the
 * previous one (folding; the line break and leading whitespace count as one SP). Lines end in CRLF;
 * a bare LF is accepted as well, a bare CR is not.
 */
import { C_TOKEN, isChar } from './chars.ts';
import { SipParseError } from './errors.ts';
import { headerNameAt, nameHashStep } from './header-names.ts';
import type { SipHeaders } from './headers.ts';

function valueStart(t: string, i: number, end: number): number {
  while (i < end) {
    const c = t.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i;
}

function valueEnd(t: string, start: number, end: number): number {
  while (end > start) {
    const c = t.charCodeAt(end - 1);
    if (c !== 32 && c !== 9) break;
    end--;
  }
  return end;
}

/**
 * Parses header lines of `text` from index `from` to its end into `headers`. A malformed line (no colon,
 * a name that is not a token, a continuation with nothing to continue, a bare CR) is skipped and the
 * first such error returned, so that the caller can still answer the message; more than `maxHeaders`
 * fields throws SipParseError (code SIP_TOO_LARGE).
 */
export function parseHeaderLines(
  text: string,
  from: number,
  headers: SipHeaders,
  maxHeaders: number,
): SipParseError | undefined {
  let error: SipParseError | undefined;
  const n = text.length;
  let pos = from;
  let nextCr = text.indexOf('\r', pos);
  if (nextCr < 0) nextCr = n;
  let name = '';
  let key = '';
  let value: string | undefined;
  let count = 0;
  while (pos < n) {
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0) lineEnd = n;
    let contentEnd = lineEnd;
    if (contentEnd > pos && text.charCodeAt(contentEnd - 1) === 13) contentEnd--;
    if (nextCr < contentEnd) {
      if (nextCr < pos) {
        nextCr = text.indexOf('\r', pos);
        if (nextCr < 0) nextCr = n;
      }
      if (nextCr < contentEnd) {
        error ??= new SipParseError('Bad header line', { detail: 'Bare CR in header section' });
        pos = lineEnd + 1;
        continue;
      }
    }
    const first = text.charCodeAt(pos);
    if (first === 32 || first === 9) {
      if (value === undefined) {
        error ??= new SipParseError('Bad header line', { detail: 'Continuation line without a header' });
        pos = lineEnd + 1;
        continue;
      }
      const a = valueStart(text, pos, contentEnd);
      const b = valueEnd(text, a, contentEnd);
      if (b > a) value = value === '' ? text.slice(a, b) : value + ' ' + text.slice(a, b);
    } else if (contentEnd > pos) {
      if (value !== undefined) headers.appendResolved(name, key, value);
      value = undefined;
      let nameEnd = pos;
      let hash = 0;
      while (nameEnd < contentEnd) {
        const c = text.charCodeAt(nameEnd);
        if (!isChar(c, C_TOKEN)) break;
        hash = nameHashStep(hash, c);
        nameEnd++;
      }
      const colon = valueStart(text, nameEnd, contentEnd);
      if (nameEnd === pos || colon >= contentEnd || text.charCodeAt(colon) !== 58) {
        const c = text.indexOf(':', pos);
        error ??= c < 0 || c > contentEnd
          ? new SipParseError('Bad header line', { detail: `Missing colon in "${text.slice(pos, Math.min(contentEnd, pos + 40))}"` })
          : new SipParseError('Bad header name', { detail: `Bad header name "${text.slice(pos, c)}"` });
        pos = lineEnd + 1;
        continue;
      }
      if (++count > maxHeaders) throw new SipParseError('Too many headers', { code: 'SIP_TOO_LARGE' });
      const info = headerNameAt(text, pos, nameEnd, hash);
      name = info.name;
      key = info.key;
      const a = valueStart(text, colon + 1, contentEnd);
      value = text.slice(a, valueEnd(text, a, contentEnd));
    }
    pos = lineEnd + 1;
  }
  if (value !== undefined) headers.appendResolved(name, key, value);
  return error;
}
