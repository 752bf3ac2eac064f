/**
 * Serialization of the SdpSession model back to text with sdp-transform: RFC 8866 section 5 line order
 * (v, o, s, c, b, t, a; then per m= section m, c, b, a), CRLF line endings, `t=0 0` (RFC 3264 section 5),
 * and each attribute written once. Transport and unknown attributes are written verbatim after the
 * modelled ones.
 */
import { write as transformWrite } from 'sdp-transform';
import type { MediaDescription, SessionDescription } from 'sdp-transform';
import type {
  SdpAttribute, SdpConnection, SdpMedia, SdpOrigin, SdpSession, SdpTransportAttributes,
} from './sdp-model.ts';

type BandwidthType = 'TIAS' | 'AS' | 'CT' | 'RR' | 'RS';
const BANDWIDTH_TYPES: readonly string[] = ['TIAS', 'AS', 'CT', 'RR', 'RS'];

function bandwidthOf(values: readonly string[]): SessionDescription['bandwidth'] {
  const out: NonNullable<SessionDescription['bandwidth']> = [];
  for (const value of values) {
    const [type = '', limit = ''] = value.split(':');
    if (BANDWIDTH_TYPES.includes(type) && /^\d+$/.test(limit)) out.push({ type: type as BandwidthType, limit: Number(limit) });
  }
  return out.length > 0 ? out : undefined;
}

function connectionOf(c: SdpConnection | undefined): SessionDescription['connection'] {
  return c ? { version: c.family === 'IP4' ? 4 : 6, ip: c.address } : undefined;
}

function line(name: string, value?: string): string {
  return value === undefined ? name : `${name}:${value}`;
}

function transportLines(t: SdpTransportAttributes, level: 'session' | 'media'): string[] {
  const out: string[] = [];
  if (level === 'media' && t.mid !== undefined) out.push(line('mid', t.mid));
  if (t.iceLite) out.push('ice-lite');
  if (t.iceUfrag !== undefined) out.push(line('ice-ufrag', t.iceUfrag));
  if (t.icePwd !== undefined) out.push(line('ice-pwd', t.icePwd));
  if (t.iceOptions !== undefined) out.push(line('ice-options', t.iceOptions));
  for (const f of t.fingerprints) out.push(line('fingerprint', f));
  if (t.setup !== undefined) out.push(line('setup', t.setup));
  for (const c of t.candidates) out.push(line('candidate', c));
  if (t.endOfCandidates) out.push('end-of-candidates');
  for (const c of t.crypto) out.push(line('crypto', c));
  return out;
}

function ssrcLines(t: SdpTransportAttributes): string[] {
  return [...t.ssrcGroups.map((g) => line('ssrc-group', g)), ...t.ssrcs.map((s) => line('ssrc', s))];
}

function rawOf(lines: readonly string[]): Array<{ value: string }> | undefined {
  const unique = [...new Set(lines)];
  return unique.length > 0 ? unique.map((value) => ({ value })) : undefined;
}

function attributeLines(attributes: readonly SdpAttribute[]): string[] {
  return attributes.map((a) => line(a.name, a.value));
}

function mediaOf(m: SdpMedia): MediaDescription {
  const seen = new Set<number>();
  const rtp: MediaDescription['rtp'] = [];
  const fmtp: MediaDescription['fmtp'] = [];
  for (const p of m.payloads) {
    if (seen.has(p.pt)) continue;
    seen.add(p.pt);
    if (p.rtpmap && p.encoding !== undefined) {
      rtp.push({ payload: p.pt, codec: p.encoding, rate: p.clockRate, encoding: p.channels > 1 ? p.channels : undefined });
    }
    if (p.fmtp !== undefined) fmtp.push({ payload: p.pt, config: p.fmtp });
  }
  const rtcp = m.rtcp
    ? m.rtcp.connection
      ? { port: m.rtcp.port, netType: 'IN', ipVer: m.rtcp.connection.family === 'IP4' ? 4 : 6, address: m.rtcp.connection.address }
      : { port: m.rtcp.port }
    : undefined;
  return {
    type: m.type,
    port: m.port,
    protocol: m.protocol,
    payloads: m.formats.join(' '),
    connection: connectionOf(m.connection),
    bandwidth: bandwidthOf(m.bandwidth),
    rtp,
    fmtp,
    rtcp,
    ptime: m.ptime,
    maxptime: m.maxptime,
    direction: m.direction,
    rtcpMux: m.rtcpMux ? 'rtcp-mux' : undefined,
    invalid: rawOf([...transportLines(m.transport, 'media'), ...attributeLines(m.attributes), ...ssrcLines(m.transport)]),
  };
}

function originLine(o: SdpOrigin): string {
  return `o=${o.username} ${o.sessionId} ${o.sessionVersion} IN ${o.family} ${o.address}`;
}

/** Writes a session description as SDP text with CRLF line endings. */
export function writeSdp(session: SdpSession): string {
  const description: SessionDescription = {
    version: 0,
    // The o= line is written below: sdp-transform formats the version as a JS number, and RFC 8866
    // versions are 64-bit.
    origin: { username: '-', sessionId: '0', sessionVersion: 0, netType: 'IN', ipVer: 4, address: '0.0.0.0' },
    name: session.name,
    timing: { start: 0, stop: 0 },
    connection: connectionOf(session.connection),
    bandwidth: bandwidthOf(session.bandwidth),
    direction: session.direction,
    invalid: rawOf([
      ...session.groups.map((g) => line('group', g)),
      ...transportLines(session.transport, 'session'),
      ...attributeLines(session.attributes),
      ...ssrcLines(session.transport),
    ]),
    media: session.media.map(mediaOf),
  };
  const text = transformWrite(description);
  return text.replace(/^o=[^\r\n]*/m, originLine(session.origin));
}
