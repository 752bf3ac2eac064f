/**
 * RtpTransportPort over plain UDP: an RtpSocket (RFC 3550, symmetric RTP of RFC 4961 with latching, RTCP
 * of section 6 with SR/RR/BYE, RFC 5761 rtcp-mux) on a port pair taken from a PortPool; close() gives the
 * pair back. The session writes whole packets; this port keeps the socket's sender counters and its SR
 * timestamp reference in step with them, so the RTCP sender reports describe the stream really sent.
 *
 * The socket connect()s to the remote once it latches, and refuses sends during the event-loop turn the
 * connect takes. A packet sent then (the first packet echoed or relayed straight back from the packet
 * that caused the latch) is held, up to a few, and sent in order as soon as the socket is connected.
 */
import { systemClock, type Clock, type Logger } from '../../lib/index.ts';
import { RtpSocket, type PortSource, type RtpPacketView, type RtpRemote } from '../rtp/index.ts';
import type { RtpPacketHandler, RtpTransportPort, RtpTransportStats } from './rtp-transport.ts';

export interface UdpRtpTransportOptions {
  /**
   * RTP clock rate of the stream, for jitter statistics and RTCP timestamps (default 8000); a re-INVITE
   * to a codec with another clock rate changes it through setClockRate().
   */
  clockRate?: number;
  /** Where to send; absent or unusable (0.0.0.0, port 0): latch on the first packet. */
  remote?: RtpRemote;
  /** Symmetric RTP latching (default true). */
  latching?: boolean;
  /** RTCP on the RTP port (RFC 5761). */
  rtcpMux?: boolean;
  /** Mean RTCP report interval (default 5000 ms); 0 disables reports. */
  rtcpIntervalMs?: number;
  /** Arrival times and RTCP timers; the session's time source (default systemClock). */
  clock?: Clock;
  /** SSRC announced by the far end's signalling (a=ssrc). */
  expectedSsrc?: number;
  /** Fixed SSRC for tests. */
  ssrc?: number;
  log?: Logger;
}

/** Packets held while the socket connects, and event-loop turns to wait for it. */
const HOLD = 8;
const HOLD_TURNS = 16;

export class UdpRtpTransport implements RtpTransportPort {
  readonly kind = 'udp';
  readonly #socket: RtpSocket;
  readonly #clock: Clock;
  #handler: RtpPacketHandler | undefined;
  #held: Buffer[] = [];
  #heldLength: number[] = [];
  #heldCount = 0;
  #heldTurns = 0;
  #flushScheduled = false;
  /** Packets that were held and then sent, or dropped after waiting. */
  heldSent = 0;
  heldDropped = 0;

  private constructor(pool: PortSource, options: UdpRtpTransportOptions) {
    this.#clock = options.clock ?? systemClock;
    this.#socket = RtpSocket.open(pool, {
      payloadType: 0,
      clockRate: options.clockRate ?? 8000,
      clock: this.#clock,
      onPacket: this.#onPacket,
      ...(options.remote ? { remote: options.remote } : {}),
      ...(options.latching === undefined ? {} : { latching: options.latching }),
      ...(options.rtcpMux === undefined ? {} : { rtcpMux: options.rtcpMux }),
      ...(options.rtcpIntervalMs === undefined ? {} : { rtcpIntervalMs: options.rtcpIntervalMs }),
      ...(options.expectedSsrc === undefined ? {} : { expectedSsrc: options.expectedSsrc }),
      ...(options.ssrc === undefined ? {} : { ssrc: options.ssrc }),
      ...(options.log ? { log: options.log } : {}),
    });
  }

  /** Takes a port pair from the pool synchronously (throws MEDIA_NO_PORT when none is free). */
  static open(pool: PortSource, options: UdpRtpTransportOptions = {}): UdpRtpTransport {
    return new UdpRtpTransport(pool, options);
  }

  get localAddress(): string {
    return this.#socket.localAddress;
  }

  get localPort(): number {
    return this.#socket.localPort;
  }

  get localRtcpPort(): number {
    return this.#socket.localRtcpPort;
  }

  get ssrc(): number {
    return this.#socket.sender.ssrc;
  }

  get closed(): boolean {
    return this.#socket.closed;
  }

  /** The socket underneath, for diagnostics. */
  get socket(): RtpSocket {
    return this.#socket;
  }

  setHandler(handler: RtpPacketHandler | undefined): void {
    this.#handler = handler;
  }

  send(packet: Buffer, length: number): boolean {
    const socket = this.#socket;
    if (socket.closed || length < 12) return false;
    if (this.#heldCount > 0) this.#flush();
    if (this.#heldCount === 0 && this.#sendNow(packet, length)) return true;
    // Refused: no destination yet, or the socket is connecting to a known one (hold it then).
    if (socket.latch.address === undefined || this.#heldCount >= HOLD || length > 1500) return false;
    let buf = this.#held[this.#heldCount];
    if (!buf) {
      buf = Buffer.alloc(1500);
      this.#held.push(buf);
    }
    packet.copy(buf, 0, 0, length);
    this.#heldLength[this.#heldCount++] = length;
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      this.#heldTurns = 0;
      setImmediate(this.#onFlush);
    }
    return true;
  }

  #sendNow(packet: Buffer, length: number): boolean {
    const socket = this.#socket;
    const sender = socket.sender;
    const timestamp = ((packet[4]! << 24) | (packet[5]! << 16) | (packet[6]! << 8) | packet[7]!) >>> 0;
    // The instant/timestamp pair the next SR extrapolates from (RFC 3550 6.4.1).
    if (sender.packetsSinceReport === 0 || !sender.stamped) sender.stamp(this.#clock.now(), timestamp);
    if (!socket.sendPacket(packet, length)) return false;
    sender.packets++;
    sender.packetsSinceReport++;
    sender.octets += length - 12 - (packet[0]! & 0x0f) * 4;
    return true;
  }

  /** Sends held packets in order while the socket takes them. */
  #flush(): void {
    let sent = 0;
    while (sent < this.#heldCount && !this.#socket.closed && this.#sendNow(this.#held[sent]!, this.#heldLength[sent]!)) sent++;
    if (sent === 0) return;
    this.heldSent += sent;
    for (let i = sent; i < this.#heldCount; i++) {
      const b = this.#held[i - sent]!;
      this.#held[i - sent] = this.#held[i]!;
      this.#held[i] = b;
      this.#heldLength[i - sent] = this.#heldLength[i]!;
    }
    this.#heldCount -= sent;
  }

  readonly #onFlush = (): void => {
    this.#flushScheduled = false;
    if (this.#heldCount === 0) return;
    if (this.#socket.closed) {
      this.heldDropped += this.#heldCount;
      this.#heldCount = 0;
      return;
    }
    this.#flush();
    if (this.#heldCount === 0) return;
    if (++this.#heldTurns >= HOLD_TURNS) {
      this.heldDropped += this.#heldCount;
      this.#heldCount = 0;
      return;
    }
    this.#flushScheduled = true;
    setImmediate(this.#onFlush);
  };

  setRemote(remote: RtpRemote | undefined): void {
    if (this.#socket.closed) return;
    this.#socket.setRemote(remote);
  }

  setClockRate(clockRate: number): void {
    if (this.#socket.closed) return;
    this.#socket.setFormat(this.#socket.sender.payloadType, clockRate);
  }

  stats(): RtpTransportStats {
    const s = this.#socket.stats();
    return {
      localAddress: this.#socket.localAddress,
      localPort: s.localPort,
      remoteAddress: s.remoteAddress,
      remotePort: s.remotePort,
      ssrc: s.ssrc,
      remoteSsrc: s.remoteSsrc,
      packetsIn: s.packetsIn,
      bytesIn: s.bytesIn,
      packetsOut: s.packetsOut,
      bytesOut: s.bytesOut,
      packetsLost: s.packetsLost,
      jitterMs: s.jitterMs,
      rttMs: s.rttMs,
      sendDropped: s.sendDropped,
    };
  }

  close(): void {
    this.#handler = undefined;
    this.#socket.close();
  }

  readonly #onPacket = (packet: RtpPacketView, sourceChanged: boolean): void => {
    const handler = this.#handler;
    if (handler) handler(packet, sourceChanged);
  };
}
