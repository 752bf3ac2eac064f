/**
 * RTP fixed header, RFC 3550 section 5.1 (with the header extension of section 5.3.1 and padding).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *   |                           timestamp                           |
 *   |           synchronization source (SSRC) identifier            |
 *   |            contributing source (CSRC) identifiers  (CC x 32)  |
 *   | [extension: profile (16) | length in 32-bit words (16) | data] |
 *   | payload ...                                   | [padding, last octet = count] |
 *
 * Parsing is zero-copy into a reusable view (one per socket): no allocation per packet. Serializing
 * writes into a caller-provided Buffer.
 */
import { RtpError } from './errors.ts';

export const RTP_VERSION = 2;
/** Size of the fixed header without CSRCs or extension. */
export const RTP_HEADER_SIZE = 12;

/** 'ok' or why the datagram is not an RTP packet; constant strings, so a failed parse allocates nothing. */
export type RtpParseResult = 'ok' | 'short' | 'version' | 'csrc' | 'extension' | 'padding';

const EMPTY = Buffer.alloc(0);

/**
 * A parsed view over one datagram. `parse()` overwrites every field; the view keeps a reference to the
 * datagram until the next parse, so consumers that keep the payload must copy it or keep `buffer`.
 * Read the payload zero-copy as `buffer[payloadOffset .. payloadOffset + payloadLength)`.
 */
export class RtpPacketView {
  buffer: Buffer = EMPTY;
  /** Length of the datagram as parsed (may be less than buffer.length). */
  length = 0;
  padding = false;
  extension = false;
  csrcCount = 0;
  marker = false;
  payloadType = 0;
  sequenceNumber = 0;
  timestamp = 0;
  ssrc = 0;
  /** Offset of the first CSRC (always 12). */
  readonly csrcOffset = RTP_HEADER_SIZE;
  /** Header extension (RFC 3550 5.3.1): profile-defined 16 bits, data offset and length in bytes. */
  extensionProfile = 0;
  extensionOffset = 0;
  extensionLength = 0;
  /** Where the payload starts, i.e. the full header length. */
  payloadOffset = 0;
  /** Payload length with padding removed. */
  payloadLength = 0;
  /** Padding octets at the end (including the count octet); 0 without padding. */
  paddingLength = 0;

  /** Parses `buf[0, length)`; on anything but 'ok' the fields are unspecified. */
  parse(buf: Buffer, length: number = buf.length): RtpParseResult {
    this.buffer = buf;
    this.length = length;
    if (length < RTP_HEADER_SIZE) return 'short';
    const b0 = buf[0]!;
    if (b0 >> 6 !== RTP_VERSION) return 'version';
    const b1 = buf[1]!;
    this.padding = (b0 & 0x20) !== 0;
    this.extension = (b0 & 0x10) !== 0;
    const cc = b0 & 0x0f;
    this.csrcCount = cc;
    this.marker = (b1 & 0x80) !== 0;
    this.payloadType = b1 & 0x7f;
    this.sequenceNumber = (buf[2]! << 8) | buf[3]!;
    this.timestamp = ((buf[4]! << 24) | (buf[5]! << 16) | (buf[6]! << 8) | buf[7]!) >>> 0;
    this.ssrc = ((buf[8]! << 24) | (buf[9]! << 16) | (buf[10]! << 8) | buf[11]!) >>> 0;
    let offset = RTP_HEADER_SIZE + cc * 4;
    if (offset > length) return 'csrc';
    if (this.extension) {
      if (offset + 4 > length) return 'extension';
      this.extensionProfile = (buf[offset]! << 8) | buf[offset + 1]!;
      const words = (buf[offset + 2]! << 8) | buf[offset + 3]!;
      this.extensionOffset = offset + 4;
      this.extensionLength = words * 4;
      offset += 4 + words * 4;
      if (offset > length) return 'extension';
    } else {
      this.extensionProfile = 0;
      this.extensionOffset = 0;
      this.extensionLength = 0;
    }
    let pad = 0;
    if (this.padding) {
      // RFC 3550 5.1: the last octet counts the padding octets, itself included.
      pad = buf[length - 1]!;
      if (pad === 0 || offset + pad > length) return 'padding';
    }
    this.paddingLength = pad;
    this.payloadOffset = offset;
    this.payloadLength = length - offset - pad;
    return 'ok';
  }

  /** The i-th CSRC identifier (0 <= i < csrcCount). */
  csrc(i: number): number {
    return this.buffer.readUInt32BE(RTP_HEADER_SIZE + i * 4);
  }

  /** The payload as a Buffer view (allocates a view object; the hot path uses payloadOffset/Length). */
  payload(): Buffer {
    return this.buffer.subarray(this.payloadOffset, this.payloadOffset + this.payloadLength);
  }
}

/** Parses one packet into a fresh view; throws MEDIA_RTP_PARSE. For tools and tests, not the hot path. */
export function parseRtpPacket(buf: Buffer): RtpPacketView {
  const view = new RtpPacketView();
  const result = view.parse(buf);
  if (result !== 'ok') throw new RtpError('MEDIA_RTP_PARSE', `not an RTP packet: ${result}`);
  return view;
}

/** Header fields to serialize. A sender keeps one of these and mutates it per packet. */
export interface RtpHeader {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcs?: readonly number[] | undefined;
  /** Header extension (RFC 3550 5.3.1); data length must be a multiple of 4. */
  extension?: { profile: number; data: Uint8Array } | undefined;
  /** Padding octets to append (1..255), for e.g. block ciphers; 0 or absent for none. */
  padding?: number | undefined;
}

/** Size of the header (and padding) that serializeRtpPacket writes for `h` around the payload. */
export function rtpOverhead(h: RtpHeader): number {
  let n = RTP_HEADER_SIZE + (h.csrcs?.length ?? 0) * 4;
  if (h.extension) n += 4 + h.extension.data.length;
  return n + (h.padding ?? 0);
}

/**
 * Writes the fixed header at out[offset] and returns the header length. Fields are masked to their
 * widths (sequence to 16 bits, timestamp and SSRC to 32); CSRC count and extension are validated.
 */
export function writeRtpHeader(out: Buffer, offset: number, h: RtpHeader): number {
  const csrcs = h.csrcs;
  const cc = csrcs ? csrcs.length : 0;
  if (cc > 15) throw new RtpError('MEDIA_RTP_BUFFER', `too many CSRCs: ${cc}`);
  const ext = h.extension;
  if (ext && (ext.data.length % 4 !== 0 || ext.data.length > 0x3ffff)) {
    throw new RtpError('MEDIA_RTP_BUFFER', 'extension data must be a multiple of 4 octets');
  }
  const size = RTP_HEADER_SIZE + cc * 4 + (ext ? 4 + ext.data.length : 0);
  if (offset + size > out.length) throw new RtpError('MEDIA_RTP_BUFFER', `buffer too small for RTP header (${size} octets)`);
  const pad = h.padding ?? 0;
  out[offset] = (RTP_VERSION << 6) | (pad > 0 ? 0x20 : 0) | (ext ? 0x10 : 0) | cc;
  out[offset + 1] = (h.marker ? 0x80 : 0) | (h.payloadType & 0x7f);
  const seq = h.sequenceNumber & 0xffff;
  out[offset + 2] = seq >> 8;
  out[offset + 3] = seq & 0xff;
  const ts = h.timestamp >>> 0;
  out[offset + 4] = ts >>> 24;
  out[offset + 5] = (ts >>> 16) & 0xff;
  out[offset + 6] = (ts >>> 8) & 0xff;
  out[offset + 7] = ts & 0xff;
  const ssrc = h.ssrc >>> 0;
  out[offset + 8] = ssrc >>> 24;
  out[offset + 9] = (ssrc >>> 16) & 0xff;
  out[offset + 10] = (ssrc >>> 8) & 0xff;
  out[offset + 11] = ssrc & 0xff;
  let p = offset + RTP_HEADER_SIZE;
  for (let i = 0; i < cc; i++, p += 4) out.writeUInt32BE(csrcs![i]! >>> 0, p);
  if (ext) {
    out.writeUInt16BE(ext.profile & 0xffff, p);
    out.writeUInt16BE(ext.data.length / 4, p + 2);
    out.set(ext.data, p + 4);
    p += 4 + ext.data.length;
  }
  return p - offset;
}

/**
 * Serializes header + payload (+ padding) into `out` at `offset`; returns the packet length.
 * `payload[payloadStart, payloadStart + payloadLength)` is copied after the header.
 * Throws MEDIA_RTP_BUFFER when it does not fit.
 */
export function serializeRtpPacket(
  out: Buffer,
  h: RtpHeader,
  payload: Uint8Array,
  payloadStart = 0,
  payloadLength: number = payload.length - payloadStart,
  offset = 0,
): number {
  const pad = h.padding ?? 0;
  if (pad < 0 || pad > 255) throw new RtpError('MEDIA_RTP_BUFFER', `padding out of range: ${pad}`);
  const total = rtpOverhead(h) + payloadLength;
  if (offset + total > out.length) throw new RtpError('MEDIA_RTP_BUFFER', `buffer too small for RTP packet (${total} octets)`);
  const hl = writeRtpHeader(out, offset, h);
  let p = offset + hl;
  if (payloadLength > 0) {
    copyBytes(payload, payloadStart, payloadLength, out, p);
    p += payloadLength;
  }
  if (pad > 0) {
    out.fill(0, p, p + pad - 1);
    out[p + pad - 1] = pad;
    p += pad;
  }
  return p - offset;
}

/** Copies without creating a view object (TypedArray.set for a whole source, else a loop). */
function copyBytes(src: Uint8Array, start: number, length: number, out: Buffer, at: number): void {
  if (start === 0 && length === src.length) {
    out.set(src, at);
    return;
  }
  for (let i = 0; i < length; i++) out[at + i] = src[start + i]!;
}
