/**
 * The sending side of one RTP stream (RFC 3550 sections 5.1 and 8, RFC 3551 section 4.1): a random SSRC,
 * a random initial sequence number and timestamp (5.1: "SHOULD be random"), the sequence wrapping at
 * 2^16 and the timestamp at 2^32. The timestamp counts sampling instants, so it keeps advancing while
 * nothing is sent (silence suppression, hold, a DTMF event replacing audio): call skip() for those
 * frames. The first packet after a gap carries the marker bit (start of a talkspurt, RFC 3551 4.1).
 */
import { randomBytes } from 'node:crypto';
import { RtpError } from './errors.ts';
import { serializeRtpPacket, type RtpHeader } from './rtp-packet.ts';

export interface RtpSenderOptions {
  payloadType: number;
  /** RTP clock rate of the payload format (8000 for PCMU/PCMA, 8000 for G.722 per RFC 3551, 48000 for Opus). */
  clockRate: number;
  /** Fixed values for tests; random when absent. */
  ssrc?: number;
  sequenceNumber?: number;
  timestamp?: number;
}

export class RtpSender {
  readonly ssrc: number;
  payloadType: number;
  /** Sequence number of the next packet. */
  sequenceNumber: number;
  /** Timestamp of the next frame's first sample. */
  timestamp: number;
  /** Packets and payload octets sent (the SR's sender's packet and octet counts). */
  packets = 0;
  octets = 0;
  /** Packets sent since the last RTCP report (decides SR vs RR). */
  packetsSinceReport = 0;
  #clockRate: number;
  #talkspurt = true;
  #fraction = 0;
  #refMs = -1;
  #refTimestamp = 0;
  #restamp = false;
  readonly #header: RtpHeader;

  constructor(options: RtpSenderOptions) {
    if (!(options.clockRate > 0)) throw new RtpError('MEDIA_RTP_CONFIG', `bad clock rate: ${options.clockRate}`);
    if (!(options.payloadType >= 0 && options.payloadType <= 127)) {
      throw new RtpError('MEDIA_RTP_CONFIG', `bad payload type: ${options.payloadType}`);
    }
    const r = randomBytes(10);
    this.ssrc = (options.ssrc ?? r.readUInt32BE(0)) >>> 0;
    this.sequenceNumber = (options.sequenceNumber ?? r.readUInt16BE(4)) & 0xffff;
    this.timestamp = (options.timestamp ?? r.readUInt32BE(6)) >>> 0;
    this.#clockRate = options.clockRate;
    this.payloadType = options.payloadType;
    this.#header = { marker: false, payloadType: this.payloadType, sequenceNumber: 0, timestamp: 0, ssrc: this.ssrc };
  }

  /** RTP clock rate of the current payload format. */
  get clockRate(): number {
    return this.#clockRate;
  }

  /** Whether an SR reference (stamp()) is set; false at first and after a clock rate change until restamped. */
  get stamped(): boolean {
    return this.#refMs >= 0 && !this.#restamp;
  }

  /**
   * A new payload format (re-INVITE). With another clock rate the timestamp goes on from its current
   * value at the new rate; the SR reference is carried over to the new rate at `nowMs` (when known) and
   * is to be refreshed by the next stamp(). Sequence numbers are untouched.
   */
  setFormat(payloadType: number, clockRate: number, nowMs?: number): void {
    if (!(clockRate > 0)) throw new RtpError('MEDIA_RTP_CONFIG', `bad clock rate: ${clockRate}`);
    if (!(payloadType >= 0 && payloadType <= 127)) throw new RtpError('MEDIA_RTP_CONFIG', `bad payload type: ${payloadType}`);
    this.payloadType = payloadType;
    if (clockRate === this.#clockRate) return;
    if (this.#refMs >= 0 && nowMs !== undefined) {
      this.#refTimestamp = this.timestampAt(nowMs);
      this.#refMs = nowMs;
    }
    this.#clockRate = clockRate;
    this.#fraction = 0;
    this.#restamp = true;
    this.#talkspurt = true;
  }

  /** The next packet starts a talkspurt (marker bit), e.g. after the caller stopped sending. */
  startTalkspurt(): void {
    this.#talkspurt = true;
  }

  /**
   * Writes the next packet (header + payload) into `out` at `offset` and returns its length. The
   * timestamp then advances by `samples`. Sets the marker on the first packet of a talkspurt.
   */
  write(out: Buffer, payload: Uint8Array, samples: number, offset = 0, payloadStart = 0, payloadLength = payload.length - payloadStart): number {
    const h = this.#header;
    h.marker = this.#talkspurt;
    h.payloadType = this.payloadType;
    h.sequenceNumber = this.sequenceNumber;
    h.timestamp = this.timestamp;
    const n = serializeRtpPacket(out, h, payload, payloadStart, payloadLength, offset);
    this.#talkspurt = false;
    this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
    this.timestamp = (this.timestamp + samples) >>> 0;
    this.packets++;
    this.packetsSinceReport++;
    this.octets += payloadLength;
    return n;
  }

  /**
   * Writes a packet with an explicit timestamp, marker and payload type without moving the timestamp
   * (RFC 4733 events: every packet of one event carries the event's start timestamp).
   */
  writeWithTimestamp(out: Buffer, payload: Uint8Array, timestamp: number, marker: boolean, payloadType: number, offset = 0): number {
    const h = this.#header;
    h.marker = marker;
    h.payloadType = payloadType;
    h.sequenceNumber = this.sequenceNumber;
    h.timestamp = timestamp >>> 0;
    const n = serializeRtpPacket(out, h, payload, 0, payload.length, offset);
    this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
    this.packets++;
    this.packetsSinceReport++;
    this.octets += payload.length;
    return n;
  }

  /** A frame of `samples` that is not sent: the timestamp advances and the next packet starts a talkspurt. */
  skip(samples: number): void {
    this.timestamp = (this.timestamp + samples) >>> 0;
    this.#talkspurt = true;
  }

  /** Like skip() for a duration (a hold, a stalled source); fractions of a sample are carried over. */
  skipMs(ms: number): void {
    const exact = (ms * this.#clockRate) / 1000 + this.#fraction;
    const whole = Math.floor(exact);
    this.#fraction = exact - whole;
    this.skip(whole);
  }

  /** Records that the frame starting at `timestamp` was sampled at local time `nowMs` (for SRs). */
  stamp(nowMs: number, timestamp: number = this.timestamp): void {
    this.#refMs = nowMs;
    this.#refTimestamp = timestamp >>> 0;
    this.#restamp = false;
  }

  /**
   * The RTP timestamp corresponding to local time `nowMs` (RFC 3550 6.4.1: the SR's RTP timestamp is the
   * same instant as its NTP timestamp), extrapolated from the last stamp(); the next timestamp if never
   * stamped.
   */
  timestampAt(nowMs: number): number {
    if (this.#refMs < 0) return this.timestamp;
    return (this.#refTimestamp + Math.round(((nowMs - this.#refMs) * this.#clockRate) / 1000)) >>> 0;
  }
}
