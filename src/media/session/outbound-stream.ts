/**
 * The RTP stream one session sends (RFC 3550 sections 5.1 and 8): one SSRC (the port's), sequence
 * numbers without gaps the session caused, and timestamps that advance with real time, whatever feeds
 * the stream: frames the session encodes, RFC 4733 event packets, or packets relayed from a bridged leg
 * or echoed back.
 *
 * Relayed packets are rewritten (RFC 3550 section 7.1 translator rules, minus the CSRC list): our SSRC,
 * their sequence number and timestamp shifted by offsets fixed at the start of a relay run, so the
 * peer's gaps, reordering and silence survive while our numbering stays continuous. A run starts with
 * the marker bit (RFC 3551 section 4.1) and ends when the session sends something of its own (a prompt, a
 * DTMF tone) or the relayed source changes SSRC; the next run is anchored where the stream stands then
 * (timestamps advanced by the time that passed, in whole frames). Packets older than a run's first
 * packet are dropped: their numbers were used already. Header extensions and CSRCs are not relayed.
 *
 * No allocation per packet: one send buffer, reused (the port copies what it keeps).
 */
import { RtpSender, seqDiff, tsAfter, type RtpPacketView } from '../rtp/index.ts';
import type { RtpTransportPort } from './rtp-transport.ts';

const MAX_PACKET = 1500;

export class OutboundStream {
  sender: RtpSender;
  /** Packets sent: encoded locally, relayed, RFC 4733 events; relayed packets dropped as too old. */
  localPackets = 0;
  relayedPackets = 0;
  eventPackets = 0;
  relayDropped = 0;
  /** Sends the port refused (no destination yet). */
  sendFailures = 0;
  /** Time of the last relayed packet (-Infinity before the first). */
  lastRelayMs = -Infinity;
  #port: RtpTransportPort;
  #frameTs: number;
  #frameMs: number;
  readonly #tickMs: number;
  #tickTs: number;
  readonly #buf = Buffer.alloc(MAX_PACKET);
  /** A view of exactly the last packet length (reused while the length stays: the port copies it in one go). */
  #view: Buffer = this.#buf;
  #anchored = false;
  #anchorSsrc = 0;
  #anchorSeq = 0;
  #seqOff = 0;
  #tsOff = 0;
  /** Timestamp just after the newest relayed audio, and when it was relayed. */
  #endTs = 0;
  #endMs = 0;
  /** When the session last sent or skipped a frame itself (sender.timestamp is the next frame's then). */
  #localMs = -Infinity;

  constructor(port: RtpTransportPort, payloadType: number, clockRate: number, frameTs: number, frameMs: number, tickMs: number) {
    this.#port = port;
    this.sender = new RtpSender({ payloadType, clockRate, ssrc: port.ssrc });
    this.#frameTs = frameTs;
    this.#frameMs = frameMs;
    this.#tickMs = tickMs;
    this.#tickTs = Math.round((clockRate * tickMs) / 1000);
  }

  get ssrc(): number {
    return this.sender.ssrc;
  }

  /** True while relayed packets make up the stream. */
  get relaying(): boolean {
    return this.#anchored;
  }

  /** A new format after a re-INVITE: numbering continues (a new clock rate starts a new time scale). */
  configure(payloadType: number, clockRate: number, frameTs: number, frameMs: number, nowMs: number): void {
    this.#leaveRelay(nowMs);
    if (clockRate !== this.sender.clockRate) {
      const old = this.sender;
      this.sender = new RtpSender({ payloadType, clockRate, ssrc: old.ssrc, sequenceNumber: old.sequenceNumber, timestamp: old.timestamp });
      this.sender.startTalkspurt();
    }
    this.sender.payloadType = payloadType;
    this.#frameTs = frameTs;
    this.#frameMs = frameMs;
    this.#tickTs = Math.round((clockRate * this.#tickMs) / 1000);
  }

  /** Timestamp of the next frame the session sends itself (ends a relay run). */
  localTimestamp(nowMs: number): number {
    this.#leaveRelay(nowMs);
    this.#catchUp(nowMs);
    return this.sender.timestamp;
  }

  /** A tick handled by the session without a packet (audio buffered for a longer ptime). */
  touch(nowMs: number): void {
    this.#leaveRelay(nowMs);
    this.#catchUp(nowMs);
    this.#localMs = nowMs;
  }

  /** Sends one locally encoded packet: `payload[0, length)` covering `samples` timestamp units. */
  sendLocal(payload: Uint8Array, length: number, samples: number, nowMs: number): boolean {
    this.#leaveRelay(nowMs);
    this.#catchUp(nowMs);
    const n = this.sender.write(this.#buf, payload, samples, 0, 0, length);
    this.#localMs = nowMs;
    this.localPackets++;
    return this.#send(n);
  }

  /** A frame of `samples` timestamp units not sent (hold, silence not sent, an event replacing audio). */
  skip(samples: number, nowMs: number): void {
    this.#leaveRelay(nowMs);
    this.#catchUp(nowMs);
    this.sender.skip(samples);
    this.#localMs = nowMs;
  }

  /** Sends an RFC 4733 packet: the event's own timestamp, the audio timestamp does not move. */
  sendEvent(payload: Uint8Array, timestamp: number, marker: boolean, payloadType: number, nowMs: number): boolean {
    this.#leaveRelay(nowMs);
    this.#catchUp(nowMs);
    const n = this.sender.writeWithTimestamp(this.#buf, payload, timestamp, marker, payloadType);
    this.#localMs = nowMs;
    this.eventPackets++;
    return this.#send(n);
  }

  /**
   * Relays a received packet as part of this stream with payload type `payloadType`; `audio` says
   * whether it carries a frame (events do not move the stream's end). False when dropped.
   */
  relay(v: RtpPacketView, payloadType: number, audio: boolean, nowMs: number): boolean {
    const seq = v.sequenceNumber;
    let marker = v.marker;
    if (!this.#anchored || v.ssrc !== this.#anchorSsrc) {
      const startTs = this.#anchored ? this.#nextRelayTs(nowMs) : this.#nextLocalTs(nowMs);
      this.#tsOff = (startTs - v.timestamp) >>> 0;
      this.#seqOff = (this.sender.sequenceNumber - seq) & 0xffff;
      this.#anchorSsrc = v.ssrc;
      this.#anchorSeq = seq;
      this.#anchored = true;
      this.#endTs = startTs;
      this.#endMs = nowMs;
      marker = true;
    } else if (seqDiff(seq, this.#anchorSeq) < 0) {
      this.relayDropped++;
      return false;
    }
    const length = v.payloadLength;
    if (length + 12 > MAX_PACKET) {
      this.relayDropped++;
      return false;
    }
    const outSeq = (seq + this.#seqOff) & 0xffff;
    const outTs = (v.timestamp + this.#tsOff) >>> 0;
    const buf = this.#buf;
    buf[0] = 0x80;
    buf[1] = (marker ? 0x80 : 0) | (payloadType & 0x7f);
    buf[2] = outSeq >> 8;
    buf[3] = outSeq & 0xff;
    buf[4] = outTs >>> 24;
    buf[5] = (outTs >>> 16) & 0xff;
    buf[6] = (outTs >>> 8) & 0xff;
    buf[7] = outTs & 0xff;
    const ssrc = this.sender.ssrc;
    buf[8] = ssrc >>> 24;
    buf[9] = (ssrc >>> 16) & 0xff;
    buf[10] = (ssrc >>> 8) & 0xff;
    buf[11] = ssrc & 0xff;
    if (length > 0) v.buffer.copy(buf, 12, v.payloadOffset, v.payloadOffset + length);
    if (seqDiff(outSeq, this.sender.sequenceNumber) >= 0) this.sender.sequenceNumber = (outSeq + 1) & 0xffff;
    if (audio) {
      const end = (outTs + this.#frameTs) >>> 0;
      if (tsAfter(end, this.#endTs)) {
        this.#endTs = end;
        this.#endMs = nowMs;
      }
    }
    this.relayedPackets++;
    this.lastRelayMs = nowMs;
    return this.#send(12 + length);
  }

  /** Ticks that passed with nothing sent or skipped (a link waiting for packets), beyond the current one. */
  #missedTicks(nowMs: number): number {
    if (this.#localMs === -Infinity) return 0;
    return Math.max(0, Math.round((nowMs - this.#localMs) / this.#tickMs) - 1);
  }

  /** Where a run continues the session's own frames: the next frame's timestamp plus the ticks passed since. */
  #nextLocalTs(nowMs: number): number {
    return (this.sender.timestamp + this.#missedTicks(nowMs) * this.#tickTs) >>> 0;
  }

  /** Moves the timestamp over ticks nobody accounted for, so it keeps time with the clock. */
  #catchUp(nowMs: number): void {
    const missed = this.#missedTicks(nowMs);
    if (missed > 0) this.sender.skip(missed * this.#tickTs);
  }

  /** Where a new run (or the session's own frames) continues: the stream's end plus the whole frames since. */
  #nextRelayTs(nowMs: number): number {
    const frames = Math.max(0, Math.round((nowMs - this.#endMs) / this.#frameMs) - 1);
    return (this.#endTs + frames * this.#frameTs) >>> 0;
  }

  #leaveRelay(nowMs: number): void {
    if (!this.#anchored) return;
    this.#anchored = false;
    const next = this.#nextRelayTs(nowMs);
    if (tsAfter(next, this.sender.timestamp)) this.sender.timestamp = next;
    this.sender.startTalkspurt();
    this.#localMs = -Infinity;
  }

  #send(length: number): boolean {
    let view = this.#view;
    if (view.length !== length) {
      view = this.#buf.subarray(0, length);
      this.#view = view;
    }
    if (this.#port.send(view, length)) return true;
    this.sendFailures++;
    return false;
  }
}
