/**
 * Parsing a SIP message from the bytes of a datagram or of a message a stream transport has framed
 * (RFC 3261 sections 7, 7.5, 18.3 and 25.1).
 *
 * Only what every element needs is checked here: the start line and version, header-line syntax, the
 * presence and syntax of Via, From, To, Call-ID and CSeq (number below 2**31, method equal to the
 * request's), single From/To/Call-ID/CSeq/Content-Length fields, Max-Forwards and Content-Length
 * syntax, and the body length (18.3: a Content-Length past the end of the data is an error, a shorter
 * one truncates the body, none means "the rest of the datagram"). Every other header is parsed when it
 * is first read.
 */
import { C_TOKEN, allChars } from './chars.ts';
import { SipParseError } from './errors.ts';
import { parseHeaderLines } from './header-block.ts';
import { contentLengthValue, readMaxForwards } from './header-values.ts';
import { SipHeaders } from './headers.ts';
import { SipRequest, SipResponse } from './message.ts';
import type { CSeq, NameAddr } from './types.ts';
import { schemeEnd } from './uri.ts';

export interface ParseOptions {
  /** The message was framed by a stream transport (TCP, TLS, WS); the length rules are the same. */
  stream?: boolean;
  /** Largest accepted message in bytes (SIP_TOO_LARGE, 513, beyond). */
  maxSize?: number;
  /** Most header fields accepted (SIP_TOO_LARGE beyond). */
  maxHeaders?: number;
}

export const DEFAULT_MAX_MESSAGE_SIZE = 256 * 1024;
export const DEFAULT_MAX_HEADERS = 256;

const CRLFCRLF = Buffer.from('\r\n\r\n');
const LFLF = Buffer.from('\n\n');

interface StartLine {
  request: boolean;
  method: string;
  uri: string;
  status: number;
  reason: string;
  /** A deferred error about the start line that still lets a response be built (505, bad URI). */
  problem: SipParseError | undefined;
}

/** SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; case-insensitive (RFC 3261 section 7.1). */
function versionProblem(v: string): SipParseError | undefined {
  if (v === 'SIP/2.0') return undefined;
  if (!/^sip\/[0-9]+\.[0-9]+$/i.test(v)) return new SipParseError('Bad SIP version', { detail: `Bad SIP version "${v}"` });
  if (/^sip\/0*2\.0+$/i.test(v)) return undefined;
  return new SipParseError('Version Not Supported', { code: 'SIP_VERSION', detail: `Unsupported SIP version "${v}"` });
}

/**
 * Request-URI checks that are cheap: one absolute URI without whitespace or angle brackets, and no
 * headers in a SIP/SIPS URI (RFC 3261 section 19.1.1, RFC 4475 section 3.1.2.11).
 */
function uriProblem(uri: string): SipParseError | undefined {
  for (let i = 0; i < uri.length; i++) {
    const c = uri.charCodeAt(i);
    if (c <= 32 || c === 60 || c === 62 || c === 34 || c === 127) {
      return new SipParseError('Bad Request-URI', { detail: `Bad character in Request-URI "${uri}"` });
    }
  }
  try {
    const colon = schemeEnd(uri);
    // The user part may hold "?" (user-unreserved); headers start at a "?" after the userinfo.
    const sip = (uri.charCodeAt(0) | 32) === 115 && (uri.charCodeAt(1) | 32) === 105 && (uri.charCodeAt(2) | 32) === 112 &&
      (colon === 4 || (colon === 5 && (uri.charCodeAt(3) | 32) === 115));
    if (sip && uri.indexOf('?', uri.indexOf('@') + 1) >= 0) {
      return new SipParseError('Bad Request-URI', { detail: 'Headers are not allowed in a Request-URI' });
    }
  } catch {
    return new SipParseError('Bad Request-URI', { detail: `Request-URI without a scheme "${uri}"` });
  }
  return uri.length === 0 ? new SipParseError('Bad Request-URI') : undefined;
}

function parseStartLine(line: string): StartLine {
  if (line.startsWith('SIP/') || line.startsWith('sip/')) {
    const sp = line.indexOf(' ');
    if (sp < 0) throw new SipParseError('Bad status line');
    const version = versionProblem(line.slice(0, sp));
    if (version !== undefined) throw version;
    const code = line.slice(sp + 1, sp + 4);
    const after = line.charCodeAt(sp + 4);
    if (!/^[1-6][0-9][0-9]$/.test(code) || (line.length > sp + 4 && after !== 32)) {
      throw new SipParseError('Bad status code', { detail: `Bad status line "${line.slice(0, 60)}"` });
    }
    return { request: false, method: '', uri: '', status: Number(code), reason: line.slice(sp + 5), problem: undefined };
  }
  const sp1 = line.indexOf(' ');
  const sp2 = line.lastIndexOf(' ');
  if (sp1 <= 0 || sp2 === sp1) throw new SipParseError('Bad request line', { detail: `Bad start line "${line.slice(0, 60)}"` });
  const method = line.slice(0, sp1);
  if (!allChars(method, C_TOKEN)) throw new SipParseError('Bad method', { detail: `Method is not a token: "${method}"` });
  const version = line.slice(sp2 + 1);
  if (version !== 'SIP/2.0' && !/^sip\/[0-9]+\.[0-9]+$/i.test(version)) {
    throw new SipParseError('Bad request line', { detail: `Bad SIP version "${version}"` });
  }
  const uri = line.slice(sp1 + 1, sp2);
  const problem = versionProblem(version) ?? uriProblem(uri);
  return { request: true, method, uri, status: 0, reason: '', problem };
}

const SINGLE: Record<string, string> = { from: 'From', to: 'To', 'call-id': 'Call-ID', cseq: 'CSeq' };

/** From, To, Call-ID and CSeq must each appear once (RFC 4475 section 3.3.8). */
function checkSingles(h: SipHeaders): void {
  let from = 0;
  let to = 0;
  let callId = 0;
  let cseq = 0;
  for (let i = 0; i < h.size; i++) {
    const k = h.keyAt(i);
    if (k === 'from') from++;
    else if (k === 'to') to++;
    else if (k === 'call-id') callId++;
    else if (k === 'cseq') cseq++;
  }
  if (from > 1 || to > 1 || callId > 1 || cseq > 1) {
    const key = from > 1 ? 'from' : to > 1 ? 'to' : callId > 1 ? 'call-id' : 'cseq';
    throw new SipParseError(`Multiple ${SINGLE[key]} headers`);
  }
}

/** Content-Length value, -1 when absent; several equal fields count as one (RFC 4475 3.3.9). */
function contentLength(h: SipHeaders): number {
  const fields = h.getAllByKey('content-length');
  if (fields.length === 0) return -1;
  const n = contentLengthValue(fields[0]!);
  if (n < 0) throw new SipParseError('Bad Content-Length');
  for (let i = 1; i < fields.length; i++) {
    if (contentLengthValue(fields[i]!) !== n) throw new SipParseError('Multiple Content-Length headers');
  }
  return n;
}

/** Parses one SIP message. Throws SipParseError (and nothing else) for anything malformed. */
export function parseMessage(data: Buffer | string, opts: ParseOptions = {}): SipRequest | SipResponse {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (buf.length > (opts.maxSize ?? DEFAULT_MAX_MESSAGE_SIZE)) {
    throw new SipParseError('Message Too Large', { code: 'SIP_TOO_LARGE', detail: `Message of ${buf.length} bytes` });
  }
  // RFC 3261 7.5: CRLFs before the start line are ignored.
  let start = 0;
  while (start < buf.length && (buf[start] === 13 || buf[start] === 10)) start++;
  const firstLf = buf.indexOf(10, start);
  if (firstLf < 0) throw new SipParseError(start === buf.length ? 'Empty message' : 'Incomplete message');
  const crlf = buf[firstLf - 1] === 13;
  let headerEnd = buf.indexOf(crlf ? CRLFCRLF : LFLF, start);
  let bodyStart: number;
  if (headerEnd >= 0) {
    bodyStart = headerEnd + (crlf ? 4 : 2);
  } else if (buf[buf.length - 1] === 10) {
    headerEnd = buf.length - (crlf ? 2 : 1);
    bodyStart = buf.length;
  } else {
    throw new SipParseError('Incomplete message', { detail: 'No empty line after the header section' });
  }
  const text = buf.toString('utf8', start, headerEnd);
  let lineEnd = text.indexOf('\n');
  if (lineEnd < 0) lineEnd = text.length;
  const sl = parseStartLine(text.slice(0, crlf && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd));
  const headers = new SipHeaders();
  const lineError = parseHeaderLines(text, lineEnd + 1, headers, opts.maxHeaders ?? DEFAULT_MAX_HEADERS);

  const msg = sl.request
    ? new SipRequest(sl.method, sl.uri, headers)
    : new SipResponse(sl.status, sl.reason, headers);

  // Without Via, From, To, Call-ID and CSeq nothing can be answered, so errors here carry no request.
  // Each getter throws SipParseError ("Missing From", "Bad To"...) and caches what it parsed; a
  // malformed header line explains a missing header better than its absence, so it wins.
  let essentials: { cseq: CSeq; from: NameAddr; to: NameAddr; callId: string };
  try {
    if (msg.vias.length === 0) throw new SipParseError('Missing Via');
    essentials = { cseq: msg.cseq, from: msg.from, to: msg.to, callId: msg.callId };
  } catch (err) {
    throw lineError ?? err;
  }
  const cseq = essentials.cseq;

  try {
    if (lineError !== undefined) throw lineError;
    if (sl.problem !== undefined) throw sl.problem;
    checkSingles(headers);
    if (sl.request && cseq.method !== sl.method) {
      throw new SipParseError('CSeq method mismatch', { detail: `CSeq method ${cseq.method} differs from ${sl.method}` });
    }
    readMaxForwards(headers);
    const length = contentLength(headers);
    const available = buf.length - bodyStart;
    if (length > available) {
      throw new SipParseError('Content-Length larger than message', {
        detail: `Content-Length ${length} but only ${Math.max(available, 0)} bytes follow`,
      });
    }
    if (available > 0) msg.body = buf.subarray(bodyStart, length < 0 ? buf.length : bodyStart + length);
  } catch (err) {
    if (err instanceof SipParseError && msg instanceof SipRequest) err.request = msg;
    throw err;
  }
  return msg;
}
