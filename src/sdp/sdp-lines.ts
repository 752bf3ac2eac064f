/**
 * Line-level reading of a session description (RFC 8866 section 5): splits the text into `<type>=<value>`
 * lines, checks the structure offer/answer depends on (v=0 first, one o= line, c= and m= syntax, at least
 * one m= line, a connection address for every active stream) and groups the lines into the session part
 * and one part per m= section. Every failure is an SdpError SDP_PARSE naming the line.
 */
import { isIP } from 'node:net';
import { SdpError } from './sdp-error.ts';
import type { AddressFamily, SdpConnection, SdpOrigin } from './sdp-model.ts';
import { isRtpProtocol } from './sdp-model.ts';

/** Longest description accepted, in characters (a browser offer with video is about 10k). */
export const MAX_SDP_LENGTH = 65536;

export interface SdpLine {
  /** 1-based line number in the input. */
  readonly no: number;
  readonly type: string;
  readonly value: string;
}

/** The fields of an m= line (RFC 8866 section 5.14). */
export interface MediaLine {
  readonly type: string;
  readonly port: number;
  readonly protocol: string;
  readonly formats: readonly string[];
}

export interface SdpSection<T> {
  readonly head: T;
  readonly connection: SdpConnection | undefined;
  /** The a= lines of the section, as `name[:value]` text. */
  readonly attributes: readonly SdpLine[];
  /** b= values of the types RFC 8866 section 5.8, RFC 3890 and RFC 3556 define (others are dropped). */
  readonly bandwidth: readonly string[];
}

export interface SdpLayout {
  readonly session: SdpSection<SdpOrigin>;
  readonly media: readonly SdpSection<MediaLine>[];
  /** The accepted lines joined with CRLF, for sdp-transform. */
  readonly normalized: string;
}

function snippet(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function fail(line: SdpLine | undefined, message: string): never {
  const where = line ? `line ${line.no} (${snippet(`${line.type}=${line.value}`)}): ` : '';
  throw new SdpError('SDP_PARSE', `invalid SDP: ${where}${message}`);
}

/** Turns the unknown input into text, or throws SDP_PARSE. */
export function sdpText(input: unknown): string {
  let text: string;
  if (typeof input === 'string') text = input;
  else if (input instanceof Uint8Array) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch (cause) {
      throw new SdpError('SDP_PARSE', 'invalid SDP: body is not UTF-8 text', { cause });
    }
  } else {
    throw new SdpError('SDP_PARSE', `invalid SDP: expected text, got ${input === null ? 'null' : typeof input}`);
  }
  if (text.length > MAX_SDP_LENGTH) fail(undefined, `longer than ${MAX_SDP_LENGTH} characters`);
  if (text.trim() === '') fail(undefined, 'the body is empty');
  return text;
}

/** Splits text into lines, ignoring blank ones; rejects lines that are not `<letter>=<value>`. */
export function splitLines(text: string): SdpLine[] {
  const out: SdpLine[] = [];
  const raw = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < raw.length; i++) {
    const line = (raw[i] ?? '').replace(/[ \t]+$/, '');
    if (line === '') continue;
    const m = /^([a-z])=(.*)$/.exec(line);
    if (!m) fail({ no: i + 1, type: '?', value: line }, 'not of the form <type>=<value> with a lower-case type letter');
    out.push({ no: i + 1, type: m[1] ?? '', value: m[2] ?? '' });
  }
  return out;
}

function parseFamily(text: string): AddressFamily | undefined {
  return text === 'IP4' || text === 'IP6' ? text : undefined;
}

function parseOrigin(line: SdpLine): SdpOrigin {
  const m = /^(\S+) +(\S+) +(\S+) +IN +(IP4|IP6) +(\S+)$/.exec(line.value);
  if (!m) fail(line, 'o= must be "<username> <sess-id> <sess-version> IN IP4|IP6 <address>"');
  return {
    username: m[1] ?? '-', sessionId: m[2] ?? '0', sessionVersion: m[3] ?? '0',
    family: parseFamily(m[4] ?? '') ?? 'IP4', address: m[5] ?? '',
  };
}

/** Parses the value of a c= line, or of the address part of a=rtcp (RFC 3605). */
export function parseConnectionValue(value: string): SdpConnection | string {
  const m = /^IN +(IP4|IP6) +(\S+)$/.exec(value);
  if (!m) return 'c= must be "IN IP4|IP6 <address>"';
  const family = parseFamily(m[1] ?? '') ?? 'IP4';
  const address = m[2] ?? '';
  if (address.includes('/')) return 'multicast connection addresses (with /ttl) are not supported';
  const version = isIP(address);
  const want = family === 'IP4' ? 4 : 6;
  if (version !== want) {
    return `address "${snippet(address)}" is not an IPv${want} literal (host names are not supported)`;
  }
  return { family, address };
}

function parseConnection(line: SdpLine): SdpConnection {
  const result = parseConnectionValue(line.value);
  if (typeof result === 'string') fail(line, result);
  return result;
}

function parseMediaLine(line: SdpLine): MediaLine {
  const m = /^([A-Za-z0-9_-]+) +(\d+)(\/\d+)? +([A-Za-z0-9_./+-]+)((?: +\S+)*)$/.exec(line.value);
  if (!m) fail(line, 'm= must be "<media> <port> <proto> <fmt> ..."');
  if (m[3] !== undefined) fail(line, 'a port count (<port>/<number>) is not supported');
  const portText = m[2] ?? '';
  const port = Number(portText);
  if (portText.length > 5 || port > 65535) fail(line, `port ${snippet(portText)} is out of range 0-65535`);
  const protocol = m[4] ?? '';
  const formats = (m[5] ?? '').trim().split(/ +/).filter((f) => f !== '');
  if (formats.length === 0 && port !== 0) fail(line, 'an active m= line needs at least one format');
  if (isRtpProtocol(protocol)) {
    for (const f of formats) {
      if (!/^\d{1,3}$/.test(f) || Number(f) > 127) fail(line, `RTP payload type "${snippet(f)}" is not a number 0-127`);
    }
  }
  return { type: m[1] ?? '', port, protocol, formats };
}

interface SectionBody {
  connection: SdpConnection | undefined;
  attributes: SdpLine[];
  bandwidth: string[];
}

interface MediaBuilder extends SectionBody {
  readonly head: MediaLine;
  readonly headLine: SdpLine;
}

function body(): SectionBody {
  return { connection: undefined, attributes: [], bandwidth: [] };
}

/** Validates the structure and groups lines into sections. */
export function layoutSdp(lines: readonly SdpLine[]): SdpLayout {
  const first = lines[0];
  if (!first || first.type !== 'v') fail(first, 'a session description starts with v=0');
  if (first.value !== '0') fail(first, 'only SDP version 0 is defined');
  let origin: SdpOrigin | undefined;
  const session = body();
  const media: MediaBuilder[] = [];
  let current: SectionBody = session;
  for (const line of lines.slice(1)) {
    switch (line.type) {
      case 'v':
        fail(line, 'v= appears more than once');
        break;
      case 'o':
        if (media.length > 0) fail(line, 'o= belongs at session level');
        if (origin) fail(line, 'o= appears more than once');
        origin = parseOrigin(line);
        break;
      case 'm': {
        const section: MediaBuilder = { head: parseMediaLine(line), headLine: line, ...body() };
        media.push(section);
        current = section;
        break;
      }
      case 'c':
        if (current.connection === undefined) current.connection = parseConnection(line);
        break;
      case 'b':
        if (/^(CT|AS|TIAS|RR|RS):\d{1,10}$/.test(line.value)) current.bandwidth.push(line.value);
        break;
      case 'a':
        current.attributes.push(line);
        break;
      default:
        break;
    }
  }
  if (!origin) fail(undefined, 'the o= line is missing');
  if (media.length === 0) fail(undefined, 'there is no m= line');
  for (const section of media) {
    if (section.head.port !== 0 && !section.connection && !session.connection) {
      fail(section.headLine, 'the stream has no c= line and the session has none');
    }
  }
  return {
    session: { head: origin, ...session },
    media: media.map((m) => ({ head: m.head, connection: m.connection, attributes: m.attributes, bandwidth: m.bandwidth })),
    normalized: `${lines.map((l) => `${l.type}=${l.value}`).join('\r\n')}\r\n`,
  };
}
