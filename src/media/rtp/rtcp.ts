/**
 * RTCP, RFC 3550 section 6: sender report (6.4.1), receiver report (6.4.2) with report blocks, SDES
 * (6.5, CNAME 6.5.1), BYE (6.6), compound packets (6.1) validated as in appendix A.2 (version 2, only the
 * last packet padded, lengths adding up to the datagram). Other packet types (APP, RFC 4585 feedback,
 * RFC 3611 XR) are kept as opaque 'other' packets. Round-trip time from LSR/DLSR per 6.4.1.
 * RTCP goes out once per ~5 s per stream, so parse results are plain objects.
 */
import { RtpError } from './errors.ts';

export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
export const RTCP_APP = 204;
export const SDES_CNAME = 1;

/** Seconds between the NTP epoch (1900) and the Unix epoch (1970). */
export const NTP_UNIX_OFFSET = 2208988800;

export interface ReportBlock {
  ssrc: number;
  /** Fraction lost since the previous report, in 1/256 units (0..255). */
  fractionLost: number;
  /** Cumulative packets lost, 24-bit signed (negative with duplicates). */
  cumulativeLost: number;
  /** Extended highest sequence number received (cycles << 16 | max seq). */
  extendedHighestSeq: number;
  /** Interarrival jitter in timestamp units (A.8). */
  jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR received from this source; 0 if none. */
  lastSr: number;
  /** Delay since that SR, in 1/65536 s; 0 if none. */
  delaySinceLastSr: number;
}

export interface SenderInfo {
  /** NTP timestamp, seconds since 1900 (32 bits). */
  ntpSeconds: number;
  /** NTP timestamp, fraction of a second in 1/2^32. */
  ntpFraction: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
}

export interface SdesItem {
  type: number;
  value: string;
}

export interface SdesChunk {
  ssrc: number;
  items: SdesItem[];
}

export type RtcpPacket =
  | { type: 'sr'; ssrc: number; sender: SenderInfo; reports: ReportBlock[] }
  | { type: 'rr'; ssrc: number; reports: ReportBlock[] }
  | { type: 'sdes'; chunks: SdesChunk[] }
  | { type: 'bye'; ssrcs: number[]; reason?: string }
  | { type: 'other'; packetType: number; count: number; body: Buffer };

function fail(why: string): never {
  throw new RtpError('MEDIA_RTCP_PARSE', `bad RTCP: ${why}`);
}

/** True when the first octets look like RTCP (RFC 5761 section 4: PT 192..223 when muxed with RTP). */
export function isRtcp(buf: Buffer): boolean {
  return buf.length >= 8 && buf[0]! >> 6 === 2 && buf[1]! >= 192 && buf[1]! <= 223;
}

function readReportBlocks(buf: Buffer, at: number, count: number, end: number): ReportBlock[] {
  if (at + count * 24 > end) fail('report blocks overrun the packet');
  const reports: ReportBlock[] = [];
  for (let i = 0; i < count; i++, at += 24) {
    const lostWord = buf.readUInt32BE(at + 4);
    reports.push({
      ssrc: buf.readUInt32BE(at),
      fractionLost: lostWord >>> 24,
      cumulativeLost: ((lostWord & 0xffffff) << 8) >> 8,
      extendedHighestSeq: buf.readUInt32BE(at + 8),
      jitter: buf.readUInt32BE(at + 12),
      lastSr: buf.readUInt32BE(at + 16),
      delaySinceLastSr: buf.readUInt32BE(at + 20),
    });
  }
  return reports;
}

function readSdes(buf: Buffer, at: number, count: number, end: number): SdesChunk[] {
  const chunks: SdesChunk[] = [];
  for (let c = 0; c < count; c++) {
    if (at + 4 > end) fail('SDES chunk overruns the packet');
    const chunk: SdesChunk = { ssrc: buf.readUInt32BE(at), items: [] };
    at += 4;
    for (;;) {
      if (at >= end) fail('SDES chunk without terminating null item');
      const type = buf[at]!;
      if (type === 0) {
        at = (at + 4) & ~3; // skip the null octet and pad to the next 32-bit boundary
        break;
      }
      if (at + 2 > end) fail('SDES item overruns the packet');
      const len = buf[at + 1]!;
      if (at + 2 + len > end) fail('SDES item overruns the packet');
      chunk.items.push({ type, value: buf.toString('utf8', at + 2, at + 2 + len) });
      at += 2 + len;
    }
    chunks.push(chunk);
  }
  return chunks;
}

/** Parses a compound RTCP datagram (A.2 checks); throws MEDIA_RTCP_PARSE. */
export function parseRtcp(buf: Buffer): RtcpPacket[] {
  const packets: RtcpPacket[] = [];
  let at = 0;
  if (buf.length < 4) fail('shorter than a header');
  while (at < buf.length) {
    if (at + 4 > buf.length) fail('trailing octets');
    const b0 = buf[at]!;
    if (b0 >> 6 !== 2) fail(`version ${b0 >> 6}`);
    const padded = (b0 & 0x20) !== 0;
    const count = b0 & 0x1f;
    const pt = buf[at + 1]!;
    const len = (buf.readUInt16BE(at + 2) + 1) * 4;
    const next = at + len;
    if (next > buf.length) fail('length overruns the datagram');
    let end = next;
    if (padded) {
      if (next !== buf.length) fail('padding before the last packet');
      const pad = buf[next - 1]!;
      if (pad === 0 || pad > len - 4) fail('bad padding');
      end -= pad;
    }
    const body = at + 4;
    switch (pt) {
      case RTCP_SR: {
        if (body + 24 > end) fail('SR too short');
        packets.push({
          type: 'sr',
          ssrc: buf.readUInt32BE(body),
          sender: {
            ntpSeconds: buf.readUInt32BE(body + 4),
            ntpFraction: buf.readUInt32BE(body + 8),
            rtpTimestamp: buf.readUInt32BE(body + 12),
            packetCount: buf.readUInt32BE(body + 16),
            octetCount: buf.readUInt32BE(body + 20),
          },
          reports: readReportBlocks(buf, body + 24, count, end),
        });
        break;
      }
      case RTCP_RR: {
        if (body + 4 > end) fail('RR too short');
        packets.push({ type: 'rr', ssrc: buf.readUInt32BE(body), reports: readReportBlocks(buf, body + 4, count, end) });
        break;
      }
      case RTCP_SDES:
        packets.push({ type: 'sdes', chunks: readSdes(buf, body, count, end) });
        break;
      case RTCP_BYE: {
        if (body + count * 4 > end) fail('BYE overruns the packet');
        const ssrcs: number[] = [];
        for (let i = 0; i < count; i++) ssrcs.push(buf.readUInt32BE(body + i * 4));
        const r = body + count * 4;
        if (r < end) {
          const rlen = buf[r]!;
          if (r + 1 + rlen > end) fail('BYE reason overruns the packet');
          packets.push({ type: 'bye', ssrcs, reason: buf.toString('utf8', r + 1, r + 1 + rlen) });
        } else {
          packets.push({ type: 'bye', ssrcs });
        }
        break;
      }
      default:
        packets.push({ type: 'other', packetType: pt, count, body: buf.subarray(body, end) });
    }
    at = next;
  }
  return packets;
}

function blocksSize(n: number): number {
  if (n > 31) throw new RtpError('MEDIA_RTP_BUFFER', `too many report blocks: ${n}`);
  return n * 24;
}

function sdesSize(chunks: readonly SdesChunk[]): number {
  let n = 0;
  for (const c of chunks) {
    let items = 0;
    for (const it of c.items) {
      const len = Buffer.byteLength(it.value, 'utf8');
      if (len > 255) throw new RtpError('MEDIA_RTP_BUFFER', 'SDES item longer than 255 octets');
      items += 2 + len;
    }
    n += 4 + ((items + 4) & ~3); // at least one null octet, padded to 32 bits
  }
  return n;
}

/** Size in octets of one packet when serialized. */
export function rtcpPacketSize(p: RtcpPacket): number {
  switch (p.type) {
    case 'sr':
      return 4 + 24 + blocksSize(p.reports.length);
    case 'rr':
      return 4 + 4 + blocksSize(p.reports.length);
    case 'sdes':
      return 4 + sdesSize(p.chunks);
    case 'bye': {
      const reason = p.reason === undefined ? 0 : (1 + Buffer.byteLength(p.reason, 'utf8') + 3) & ~3;
      return 4 + p.ssrcs.length * 4 + reason;
    }
    case 'other':
      return 4 + ((p.body.length + 3) & ~3);
  }
}

function writeHeader(out: Buffer, at: number, count: number, pt: number, size: number): void {
  if (count > 31) throw new RtpError('MEDIA_RTP_BUFFER', `RTCP count over 31: ${count}`);
  out[at] = 0x80 | count;
  out[at + 1] = pt;
  out.writeUInt16BE(size / 4 - 1, at + 2);
}

function writeBlocks(out: Buffer, at: number, reports: readonly ReportBlock[]): void {
  for (const r of reports) {
    const lost = Math.max(-0x800000, Math.min(0x7fffff, Math.trunc(r.cumulativeLost))) & 0xffffff;
    out.writeUInt32BE(r.ssrc >>> 0, at);
    out.writeUInt32BE((((r.fractionLost & 0xff) << 24) | lost) >>> 0, at + 4);
    out.writeUInt32BE(r.extendedHighestSeq >>> 0, at + 8);
    out.writeUInt32BE(Math.min(0xffffffff, Math.max(0, Math.round(r.jitter))) >>> 0, at + 12);
    out.writeUInt32BE(r.lastSr >>> 0, at + 16);
    out.writeUInt32BE(r.delaySinceLastSr >>> 0, at + 20);
    at += 24;
  }
}

/** Serializes a compound packet into `out` at `offset`; returns its length. Throws MEDIA_RTP_BUFFER. */
export function serializeRtcp(packets: readonly RtcpPacket[], out: Buffer, offset = 0): number {
  let at = offset;
  for (const p of packets) {
    const size = rtcpPacketSize(p);
    if (at + size > out.length) throw new RtpError('MEDIA_RTP_BUFFER', 'buffer too small for RTCP');
    out.fill(0, at, at + size);
    switch (p.type) {
      case 'sr':
        writeHeader(out, at, p.reports.length, RTCP_SR, size);
        out.writeUInt32BE(p.ssrc >>> 0, at + 4);
        out.writeUInt32BE(p.sender.ntpSeconds >>> 0, at + 8);
        out.writeUInt32BE(p.sender.ntpFraction >>> 0, at + 12);
        out.writeUInt32BE(p.sender.rtpTimestamp >>> 0, at + 16);
        out.writeUInt32BE(p.sender.packetCount >>> 0, at + 20);
        out.writeUInt32BE(p.sender.octetCount >>> 0, at + 24);
        writeBlocks(out, at + 28, p.reports);
        break;
      case 'rr':
        writeHeader(out, at, p.reports.length, RTCP_RR, size);
        out.writeUInt32BE(p.ssrc >>> 0, at + 4);
        writeBlocks(out, at + 8, p.reports);
        break;
      case 'sdes': {
        writeHeader(out, at, p.chunks.length, RTCP_SDES, size);
        let q = at + 4;
        for (const c of p.chunks) {
          out.writeUInt32BE(c.ssrc >>> 0, q);
          q += 4;
          const start = q;
          for (const it of c.items) {
            out[q] = it.type;
            const len = out.write(it.value, q + 2, 'utf8');
            out[q + 1] = len;
            q += 2 + len;
          }
          q = start + (((q - start) + 4) & ~3); // null terminator(s) already zero
        }
        break;
      }
      case 'bye': {
        writeHeader(out, at, p.ssrcs.length, RTCP_BYE, size);
        let q = at + 4;
        for (const s of p.ssrcs) {
          out.writeUInt32BE(s >>> 0, q);
          q += 4;
        }
        if (p.reason !== undefined) out[q] = out.write(p.reason, q + 1, 'utf8');
        break;
      }
      case 'other':
        writeHeader(out, at, p.count, p.packetType, size);
        p.body.copy(out, at + 4);
        break;
    }
    at += size;
  }
  return at - offset;
}

/** Serializes a compound packet into a new Buffer. */
export function buildRtcp(packets: readonly RtcpPacket[]): Buffer {
  let size = 0;
  for (const p of packets) size += rtcpPacketSize(p);
  const out = Buffer.allocUnsafe(size);
  serializeRtcp(packets, out);
  return out;
}

/** NTP timestamp (seconds since 1900 and 32-bit fraction) of a Unix time in milliseconds. */
export function ntpFromUnixMs(ms: number): { seconds: number; fraction: number } {
  const whole = Math.floor(ms / 1000);
  const seconds = (whole + NTP_UNIX_OFFSET) >>> 0;
  const fraction = Math.floor(((ms - whole * 1000) / 1000) * 0x100000000) >>> 0;
  return { seconds, fraction };
}

/** The middle 32 bits of a 64-bit NTP timestamp (the LSR format, 16.16 seconds). */
export function ntpMiddle(seconds: number, fraction: number): number {
  return (((seconds & 0xffff) << 16) | (fraction >>> 16)) >>> 0;
}

/** The middle 32 bits of the NTP time of a Unix time in milliseconds. */
export function ntpMiddleFromUnixMs(ms: number): number {
  const t = ntpFromUnixMs(ms);
  return ntpMiddle(t.seconds, t.fraction);
}

/**
 * Round-trip time in milliseconds from a report block received at `arrivalMiddle` (the middle 32 bits
 * of the NTP time of arrival): A - LSR - DLSR (RFC 3550 6.4.1). Undefined when the block carries no LSR;
 * a negative result (clock steps) reads as 0.
 */
export function roundTripMs(arrivalMiddle: number, lastSr: number, delaySinceLastSr: number): number | undefined {
  if (lastSr === 0) return undefined;
  const rtt = (arrivalMiddle - lastSr - delaySinceLastSr) | 0;
  return rtt <= 0 ? 0 : (rtt / 65536) * 1000;
}
