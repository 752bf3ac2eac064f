/**
 * Parsing at the edge: unknown input (text or UTF-8 bytes) to the typed SdpSession model, or an
 * SdpError SDP_PARSE with the offending line. Structure (v=, o=, c=, m=) is checked line by line
 * (RFC 8866 section 5); media attributes are read with sdp-transform: rtpmap and fmtp (RFC 8866 sections
 * 6.6 and 6.15), ptime and maxptime (6.4, 6.5), direction (6.7, RFC 3264 section 5.1), rtcp (RFC 3605)
 * and rtcp-mux (RFC 5761). Static payload types without rtpmap take their RFC 3551 section 6 format.
 * Malformed media attributes are ignored rather than failing the whole description; transport
 * attributes (ICE, DTLS, mid, ssrc, crypto) and unknown attributes are kept verbatim.
 */
import { parse as transformParse } from 'sdp-transform';
import { SdpError } from './sdp-error.ts';
import { staticFormat } from './codec-catalog.ts';
import { type SdpLine, type SdpSection, layoutSdp, parseConnectionValue, sdpText, splitLines } from './sdp-lines.ts';
import type { MediaLine } from './sdp-lines.ts';
import {
  type RtpPayload, type SdpAttribute, type SdpDirection, type SdpMedia, type SdpRtcp, type SdpSession,
  type SdpTransportAttributes, isRtpProtocol, isSdpDirection,
} from './sdp-model.ts';

type Loose = Readonly<Record<string, unknown>>;

function asRecord(value: unknown): Loose | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Loose) : undefined;
}

function asRecords(value: unknown): Loose[] {
  if (!Array.isArray(value)) return [];
  const out: Loose[] = [];
  for (const item of value as unknown[]) {
    const rec = asRecord(item);
    if (rec) out.push(rec);
  }
  return out;
}

function asInt(value: unknown, max: number): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= max ? n : undefined;
}

function asPositive(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 && n <= 100000 ? n : undefined;
}

function asDirection(value: unknown): SdpDirection | undefined {
  return isSdpDirection(value) ? value : undefined;
}

/** Attributes read through sdp-transform into typed fields. */
const MODELLED = new Set([
  'rtpmap', 'fmtp', 'ptime', 'maxptime', 'sendrecv', 'sendonly', 'recvonly', 'inactive', 'rtcp', 'rtcp-mux',
]);

/** Attributes kept verbatim in SdpTransportAttributes. */
const TRANSPORT = new Set([
  'mid', 'ice-ufrag', 'ice-pwd', 'ice-options', 'ice-lite', 'candidate', 'end-of-candidates', 'fingerprint',
  'setup', 'ssrc', 'ssrc-group', 'crypto',
]);

function splitAttribute(line: SdpLine): SdpAttribute {
  const colon = line.value.indexOf(':');
  return colon < 0
    ? { name: line.value, value: undefined }
    : { name: line.value.slice(0, colon), value: line.value.slice(colon + 1) };
}

function pushUnique(list: string[], value: string | undefined): void {
  if (value !== undefined && !list.includes(value)) list.push(value);
}

function transportOf(attributes: readonly SdpAttribute[]): SdpTransportAttributes {
  const first = (name: string): string | undefined => attributes.find((a) => a.name === name)?.value;
  const all = (name: string): string[] => {
    const out: string[] = [];
    for (const a of attributes) if (a.name === name) pushUnique(out, a.value);
    return out;
  };
  const has = (name: string): boolean => attributes.some((a) => a.name === name);
  return {
    mid: first('mid'), iceUfrag: first('ice-ufrag'), icePwd: first('ice-pwd'), iceOptions: first('ice-options'),
    iceLite: has('ice-lite'), candidates: all('candidate'), endOfCandidates: has('end-of-candidates'),
    fingerprints: all('fingerprint'), setup: first('setup'), ssrcs: all('ssrc'), ssrcGroups: all('ssrc-group'),
    crypto: all('crypto'),
  };
}

/** Names read into typed fields at media level, and at session level (where mid means nothing). */
const MEDIA_CONSUMED: ReadonlySet<string> = new Set([...MODELLED, ...TRANSPORT]);
const SESSION_CONSUMED: ReadonlySet<string> = new Set([...MEDIA_CONSUMED, 'group'].filter((n) => n !== 'mid'));

function otherAttributes(attributes: readonly SdpAttribute[], consumed: ReadonlySet<string>): SdpAttribute[] {
  const out: SdpAttribute[] = [];
  for (const a of attributes) {
    if (consumed.has(a.name)) continue;
    if (!out.some((o) => o.name === a.name && o.value === a.value)) out.push(a);
  }
  return out;
}

interface RtpMapEntry {
  readonly encoding: string;
  readonly clockRate: number | undefined;
  readonly channels: number;
}

function rtpmapsOf(media: Loose): Map<number, RtpMapEntry> {
  const out = new Map<number, RtpMapEntry>();
  for (const rtp of asRecords(media['rtp'])) {
    const pt = asInt(rtp['payload'], 127);
    const encoding = rtp['codec'] === undefined ? '' : String(rtp['codec']);
    if (pt === undefined || encoding === '' || out.has(pt)) continue;
    const channels = asInt(rtp['encoding'], 255);
    out.set(pt, { encoding, clockRate: asInt(rtp['rate'], 10_000_000) || undefined, channels: channels || 1 });
  }
  return out;
}

function fmtpsOf(media: Loose): Map<number, string> {
  const out = new Map<number, string>();
  for (const fmtp of asRecords(media['fmtp'])) {
    const pt = asInt(fmtp['payload'], 127);
    const config = typeof fmtp['config'] === 'string' ? fmtp['config'].trim() : String(fmtp['config'] ?? '');
    if (pt !== undefined && config !== '' && !out.has(pt)) out.set(pt, config);
  }
  return out;
}

function payloadsOf(head: MediaLine, media: Loose): RtpPayload[] {
  if (!isRtpProtocol(head.protocol)) return [];
  const rtpmaps = rtpmapsOf(media);
  const fmtps = fmtpsOf(media);
  return head.formats.map((format) => {
    const pt = Number(format);
    const fmtp = fmtps.get(pt);
    const mapped = rtpmaps.get(pt);
    if (mapped) return { pt, ...mapped, fmtp, rtpmap: true };
    const known = staticFormat(pt);
    if (known) return { pt, ...known, fmtp, rtpmap: false };
    return { pt, encoding: undefined, clockRate: undefined, channels: 1, fmtp, rtpmap: false };
  });
}

function rtcpOf(media: Loose): SdpRtcp | undefined {
  const rtcp = asRecord(media['rtcp']);
  const port = rtcp ? asInt(rtcp['port'], 65535) : undefined;
  if (!rtcp || port === undefined) return undefined;
  const address = rtcp['address'];
  const ipVer = rtcp['ipVer'];
  if (address === undefined || ipVer === undefined) return { port, connection: undefined };
  const connection = parseConnectionValue(`IN IP${String(ipVer)} ${String(address)}`);
  return { port, connection: typeof connection === 'string' ? undefined : connection };
}

function mediaOf(section: SdpSection<MediaLine>, media: Loose): SdpMedia {
  const head = section.head;
  const attributes = section.attributes.map(splitAttribute);
  return {
    type: head.type,
    port: head.port,
    protocol: head.protocol,
    formats: head.formats,
    connection: section.connection,
    direction: asDirection(media['direction']),
    payloads: payloadsOf(head, media),
    ptime: asPositive(media['ptime']),
    maxptime: asPositive(media['maxptime']),
    rtcp: rtcpOf(media),
    rtcpMux: attributes.some((a) => a.name === 'rtcp-mux'),
    bandwidth: section.bandwidth,
    transport: transportOf(attributes),
    attributes: otherAttributes(attributes, MEDIA_CONSUMED),
  };
}

function transformOf(normalized: string): Loose {
  try {
    const parsed = asRecord(transformParse(normalized));
    if (parsed) return parsed;
  } catch (cause) {
    throw new SdpError('SDP_PARSE', 'invalid SDP: sdp-transform could not read it', { cause });
  }
  throw new SdpError('SDP_PARSE', 'invalid SDP: sdp-transform returned no description');
}

/**
 * Parses a session description. Throws only SdpError with code SDP_PARSE (or for non-string, non-bytes
 * input, the same code) whatever the input.
 */
export function parseSdp(input: unknown): SdpSession {
  const text = sdpText(input);
  const layout = layoutSdp(splitLines(text));
  const parsed = transformOf(layout.normalized);
  const parsedMedia = asRecords(parsed['media']);
  const sessionAttributes = layout.session.attributes.map(splitAttribute);
  const groups: string[] = [];
  for (const a of sessionAttributes) if (a.name === 'group') pushUnique(groups, a.value);
  const name = parsed['name'];
  return {
    origin: layout.session.head,
    name: name === undefined ? '-' : String(name),
    connection: layout.session.connection,
    direction: asDirection(parsed['direction']),
    bandwidth: layout.session.bandwidth,
    groups,
    transport: { ...transportOf(sessionAttributes), mid: undefined },
    attributes: otherAttributes(sessionAttributes, SESSION_CONSUMED),
    media: layout.media.map((section, i) => mediaOf(section, parsedMedia[i] ?? {})),
  };
}
