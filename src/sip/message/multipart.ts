/**
 * Multipart bodies (RFC 2046 section 5.1, RFC 5621 for message bodies in SIP; used by SIPREC, RFC 7866):
 *
 *   multipart-body = [preamble CRLF] dash-boundary transport-padding CRLF body-part
 *                    *encapsulation close-delimiter transport-padding [CRLF epilogue]
 *   encapsulation = delimiter transport-padding CRLF body-part      delimiter = CRLF dash-boundary
 *
 * Parts are returned as header list plus raw bytes; a part without headers starts with its CRLF.
 */
import { randomBytes } from 'node:crypto';
import { C_TOKEN, allChars, unquote } from './chars.ts';
import { SipHeaderError, SipParseError } from './errors.ts';
import { parseHeaderLines } from './header-block.ts';
import { parseMediaType } from './header-values.ts';
import { SipHeaders } from './headers.ts';

export interface MimePart {
  headers: SipHeaders;
  body: Buffer;
}

export interface MimePartInit {
  headers: SipHeaders | Iterable<readonly [string, string]>;
  body: Buffer | string;
}

const MAX_PART_HEADERS = 64;

function boundaryOf(contentTypeHeader: string): string {
  const mt = parseMediaType(contentTypeHeader);
  if (!mt.type.startsWith('multipart/')) throw new SipParseError('Not a multipart body', { detail: `Content-Type is ${mt.type}` });
  const raw = mt.params.boundary;
  if (raw === undefined || raw === null) throw new SipParseError('Missing multipart boundary');
  const b = raw.charCodeAt(0) === 34 ? unquote(raw) : raw;
  if (b.length === 0 || b.length > 70) throw new SipParseError('Bad multipart boundary');
  return b;
}

/** Index of the delimiter "--boundary" that starts a line at or after `from`, or -1. */
function findDelimiter(body: Buffer, dash: Buffer, from: number): number {
  for (let i = body.indexOf(dash, from); i >= 0; i = body.indexOf(dash, i + 1)) {
    if (i === 0 || body[i - 1] === 10) return i;
  }
  return -1;
}

function parsePart(bytes: Buffer): MimePart {
  const headers = new SipHeaders();
  if (bytes.length === 0) return { headers, body: bytes };
  let lineBreak = 0;
  if (bytes[0] === 13 && bytes[1] === 10) lineBreak = 2;
  else if (bytes[0] === 10) lineBreak = 1;
  if (lineBreak > 0) return { headers, body: bytes.subarray(lineBreak) };
  let end = bytes.indexOf('\r\n\r\n');
  let bodyStart = end + 4;
  if (end < 0) {
    end = bytes.indexOf('\n\n');
    bodyStart = end + 2;
  }
  if (end < 0) {
    end = bytes.length;
    bodyStart = bytes.length;
  }
  const error = parseHeaderLines(bytes.toString('utf8', 0, end), 0, headers, MAX_PART_HEADERS);
  if (error !== undefined) throw error;
  return { headers, body: bytes.subarray(bodyStart) };
}

/** Splits a multipart body into its parts. Throws SipParseError for a missing or unterminated boundary. */
export function parseMultipart(body: Buffer, contentTypeHeader: string): MimePart[] {
  const dash = Buffer.from('--' + boundaryOf(contentTypeHeader), 'utf8');
  let pos = findDelimiter(body, dash, 0);
  if (pos < 0) throw new SipParseError('Bad multipart body', { detail: 'Boundary not found' });
  const parts: MimePart[] = [];
  for (;;) {
    let p = pos + dash.length;
    if (body[p] === 45 && body[p + 1] === 45) return parts;
    while (body[p] === 32 || body[p] === 9) p++;
    if (body[p] === 13) p++;
    if (body[p] !== 10) throw new SipParseError('Bad multipart body', { detail: 'Boundary line not ended by CRLF' });
    const partStart = p + 1;
    const next = findDelimiter(body, dash, partStart);
    if (next < 0) throw new SipParseError('Bad multipart body', { detail: 'Missing close delimiter' });
    let partEnd = next - 1;
    if (partEnd > partStart && body[partEnd - 1] === 13) partEnd--;
    parts.push(parsePart(body.subarray(partStart, Math.max(partEnd, partStart))));
    pos = next;
  }
}

/**
 * Builds a multipart body. Without a boundary a random one is chosen; a given boundary that occurs in
 * a part is refused (SIP_HEADER_VALUE).
 */
export function buildMultipart(
  parts: readonly MimePartInit[],
  boundary?: string,
  subtype = 'mixed',
): { body: Buffer; contentType: string } {
  const bodies = parts.map((p) => (typeof p.body === 'string' ? Buffer.from(p.body, 'utf8') : p.body));
  let b = boundary ?? randomBytes(12).toString('hex');
  const clash = (x: string): boolean => bodies.some((body) => body.includes('--' + x));
  while (boundary === undefined && clash(b)) b = randomBytes(12).toString('hex');
  if (boundary !== undefined && (clash(b) || b.length === 0 || b.length > 70 || /[\r\n]/.test(b))) {
    throw new SipHeaderError('Unusable multipart boundary');
  }
  const chunks: Buffer[] = [];
  parts.forEach((p, i) => {
    let head = (i === 0 ? '' : '\r\n') + '--' + b + '\r\n';
    const headers = p.headers instanceof SipHeaders ? p.headers : new SipHeaders(p.headers);
    for (const [name, value] of headers) head += `${name}: ${value}\r\n`;
    chunks.push(Buffer.from(head + '\r\n', 'utf8'), bodies[i]!);
  });
  chunks.push(Buffer.from(`${parts.length === 0 ? '' : '\r\n'}--${b}--\r\n`, 'utf8'));
  const param = allChars(b, C_TOKEN) ? b : `"${b}"`;
  return { body: Buffer.concat(chunks), contentType: `multipart/${subtype};boundary=${param}` };
}
