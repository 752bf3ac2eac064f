/**
 * The I/O shell of one RTP stream (RFC 3550) on a port pair from the pool: receive, parse into one
 * reusable view, account (A.1/A.3/A.8) and hand valid packets to a single callback; send frames built by
 * RtpSender; symmetric RTP with latching (RFC 4961, rtp-latch.ts); connect()ed sending once the
 * destination is final, so the kernel filters other sources and a send needs no address lookup; RTCP
 * demultiplexed on the RTP port too (RFC 5761); SR/RR + SDES CNAME reports (6.4, 6.5.1) and BYE on close
 * (6.6).
 *
 * RTCP timing (RFC 3550 6.2/6.3, simplified): the interval is a fixed mean (default 5 s, the minimum of
 * 6.2 for a two-party call at audio bandwidth) randomized uniformly in [0.5, 1.5] times it, with the
 * first report at half the interval; no bandwidth scaling or timer reconsideration, which only matter
 * in large multicast sessions.
 *
 * A re-INVITE that changes codec calls setFormat(): payload type and clock rate change for both
 * directions (the sender keeps SSRC, sequence and timestamp line; receive jitter moves to the new unit);
 * the next SR extrapolates at the new rate.
 *
 * Once connected the destination is fixed (the kernel drops other sources) until setRemote(); with
 * `connect: false` a NAT rebinding keeps being followed, at the cost described next.
 *
 * Per packet there is no allocation in this code and no event emission once the socket is connected;
 * Node's dgram still allocates the received Buffer and its rinfo. Until then (and always with
 * `connect: false`) a send goes through Node's address lookup, which reads the buffer on a later tick,
 * so each such packet is copied.
 */
import type { RemoteInfo } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { systemClock, errorMessage, type Clock, type Logger, type TimerHandle } from '../../lib/index.ts';
import { RtpError } from './errors.ts';
import type { PortPair, PortSource } from './port-pool.ts';
import { buildRtcp, isRtcp, parseRtcp, type RtcpPacket } from './rtcp.ts';
import { applyReport, buildReport, type FarEndReport } from './rtcp-report.ts';
import { RtpLatch } from './rtp-latch.ts';
import { RtpPacketView } from './rtp-packet.ts';
import { RtpReceiver } from './rtp-receiver.ts';
import { RtpSender } from './rtp-sender.ts';
import { SocketConnector } from './socket-connector.ts';

export interface RtpRemote {
  address: string;
  port: number;
  /** RTCP port (SDP a=rtcp, RFC 3605); RTP port + 1 when absent. */
  rtcpPort?: number;
}

export interface RtpSocketOptions {
  payloadType: number;
  clockRate: number;
  /** The remote from SDP; absent or unusable (0.0.0.0, port 0) means: latch on the first packet. */
  remote?: RtpRemote;
  /** Symmetric RTP latching (default true). */
  latching?: boolean;
  /** Consecutive packets from a new source before latching to it (default 2). */
  latchAfter?: number;
  /** connect() the RTP socket once the destination is final (default true). */
  connect?: boolean;
  /** SSRC announced by signalling (a=ssrc), if any. */
  expectedSsrc?: number;
  /** Send RTCP on the RTP port (RFC 5761 rtcp-mux). */
  rtcpMux?: boolean;
  /** RTCP report interval mean in ms (default 5000); 0 disables periodic reports. */
  rtcpIntervalMs?: number;
  /** SDES CNAME (default: random). */
  cname?: string;
  /** Clock for arrival times and the RTCP timer (default: systemClock). */
  clock?: Clock;
  /** Wall-clock Unix ms for NTP timestamps (default: performance.timeOrigin + performance.now()). */
  wallClockMs?: () => number;
  /** Largest packet this socket sends (default 1500). */
  maxPacketSize?: number;
  /** Fixed sender values for tests. */
  ssrc?: number;
  sequenceNumber?: number;
  timestamp?: number;
  /** Valid RTP packets; `ssrcChanged` is true for the first packet of a new source. Must not throw. */
  onPacket: (packet: RtpPacketView, ssrcChanged: boolean) => void;
  /** Every RTCP compound packet received (already accounted). */
  onRtcp?: (packets: readonly RtcpPacket[]) => void;
  log?: Logger;
}

/** Counters of one socket at one moment (for CDRs and metrics). */
export interface RtpSocketStats {
  localPort: number;
  remoteAddress: string | undefined;
  remotePort: number | undefined;
  latched: boolean;
  ssrc: number;
  remoteSsrc: number | undefined;
  packetsIn: number;
  bytesIn: number;
  packetsOut: number;
  bytesOut: number;
  /** Lost packets of the received stream(s) (RFC 3550 A.3, cumulative over SSRC changes). */
  packetsLost: number;
  /** Interarrival jitter of the received stream (A.8), ms. */
  jitterMs: number;
  invalidIn: number;
  droppedIn: number;
  sendDropped: number;
  rtcpIn: number;
  rtcpOut: number;
  rttMs: number | undefined;
  remoteFractionLost: number | undefined;
  remoteCumulativeLost: number | undefined;
  remoteJitterMs: number | undefined;
}

const SEND_RING = 4;
const defaultWallClock = (): number => performance.timeOrigin + performance.now();

export class RtpSocket {
  readonly localAddress: string;
  readonly localPort: number;
  readonly localRtcpPort: number;
  readonly sender: RtpSender;
  readonly receiver: RtpReceiver;
  readonly latch: RtpLatch;
  readonly cname: string;
  // Counters (plain numbers, read for CDRs and metrics).
  packetsIn = 0;
  bytesIn = 0;
  packetsOut = 0;
  bytesOut = 0;
  /** Datagrams that were neither RTP nor RTCP. */
  invalidIn = 0;
  /** Packets dropped: from a source that is not the destination, or another SSRC, or a bad sequence jump. */
  droppedIn = 0;
  /** Sends dropped: no destination yet, or the socket was connecting. */
  sendDropped = 0;
  rtcpIn = 0;
  rtcpOut = 0;
  /** From the far end's last report block about us (fraction lost as 0..1). */
  readonly farEnd: FarEndReport = { rttMs: undefined, fractionLost: undefined, cumulativeLost: undefined, jitterMs: undefined };
  callbackErrors = 0;
  readonly #pair: PortPair;
  readonly #options: RtpSocketOptions;
  readonly #clock: Clock;
  readonly #wallClock: () => number;
  readonly #view = new RtpPacketView();
  readonly #ring: Buffer[] = [];
  /** Per ring slot: a view of exactly the last packet length (reused while the length is unchanged). */
  readonly #views: Buffer[] = [];
  #ringIndex = 0;
  #rtcpRemote: RtpRemote | undefined;
  #rtcpLatched = false;
  readonly #connector: SocketConnector;
  #timer: TimerHandle | undefined;
  #closed = false;

  private constructor(pool: PortSource, pair: PortPair, options: RtpSocketOptions) {
    this.#pair = pair;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#wallClock = options.wallClockMs ?? defaultWallClock;
    this.localAddress = pair.address;
    this.localPort = pair.rtpPort;
    this.localRtcpPort = pair.rtcpPort;
    this.cname = options.cname ?? `${randomBytes(8).toString('hex')}@switchboard`;
    this.sender = new RtpSender(options);
    this.receiver = new RtpReceiver({ clockRate: options.clockRate, ...(options.expectedSsrc === undefined ? {} : { expectedSsrc: options.expectedSsrc }) });
    this.latch = new RtpLatch(options.latching ?? true, options.latchAfter ?? 2);
    const size = options.maxPacketSize ?? 1500;
    const slab = Buffer.alloc(size * SEND_RING);
    for (let i = 0; i < SEND_RING; i++) {
      this.#ring.push(slab.subarray(i * size, (i + 1) * size));
      this.#views.push(this.#ring[i]!);
    }
    this.#connector = new SocketConnector(pair.rtp, () => pool.release(pair, { disconnected: true }), options.log);
    pair.rtp.on('message', this.#onRtp);
    pair.rtcp.on('message', this.#onRtcpSocket);
    this.setRemote(options.remote);
    const interval = options.rtcpIntervalMs ?? 5000;
    if (interval > 0) this.#arm(interval / 2);
  }

  /** Takes a port pair from the pool (synchronously; throws MEDIA_NO_PORT) and starts receiving. */
  static open(pool: PortSource, options: RtpSocketOptions): RtpSocket {
    const pair = pool.allocate();
    try {
      return new RtpSocket(pool, pair, options);
    } catch (err) {
      pool.release(pair);
      throw err;
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Current RTP destination, if any. */
  get remote(): RtpRemote | undefined {
    if (this.latch.address === undefined) return undefined;
    return { address: this.latch.address, port: this.latch.port, ...(this.#rtcpRemote ? { rtcpPort: this.#rtcpRemote.port } : {}) };
  }

  /** A new remote from signalling (re-INVITE): latching restarts, a connected socket is disconnected. */
  setRemote(remote: RtpRemote | undefined): void {
    if (this.#closed) throw new RtpError('MEDIA_RTP_CLOSED', 'RTP socket is closed');
    this.#connector.disconnect();
    this.latch.setRemote(remote?.address, remote?.port);
    this.#rtcpLatched = false;
    this.#rtcpRemote =
      this.latch.address === undefined ? undefined : { address: this.latch.address, port: remote?.rtcpPort ?? this.latch.port + 1 };
    // Without latching the SDP address is final, but media is taken from any source (rtp-latch.ts): a
    // connected socket would have the kernel drop it, so sending stays unconnected.
  }

  /** RTP clock rate of the current payload format. */
  get clockRate(): number {
    return this.sender.clockRate;
  }

  /**
   * A new payload format from a re-INVITE (RFC 3264 section 8.3.2): the payload type sent and the
   * clock rate of both directions. Sequence numbers and the timestamp line continue (RFC 3550 5.1).
   */
  setFormat(payloadType: number, clockRate: number): void {
    if (this.#closed) throw new RtpError('MEDIA_RTP_CLOSED', 'RTP socket is closed');
    this.sender.setFormat(payloadType, clockRate, this.#clock.now());
    this.receiver.setClockRate(clockRate);
  }

  /** Sends one frame built by the sender (timestamp advances by `samples`); false when dropped. */
  sendFrame(payload: Uint8Array, samples: number): boolean {
    const buf = this.#nextBuffer();
    // The time/timestamp pair the next SR extrapolates from: one per report interval is enough.
    if (this.sender.packetsSinceReport === 0 || !this.sender.stamped) this.sender.stamp(this.#clock.now());
    const n = this.sender.write(buf, payload, samples);
    return this.#send(n);
  }

  /** Sends a packet with an explicit timestamp (RFC 4733 events); the audio timestamp does not move. */
  sendWithTimestamp(payload: Uint8Array, timestamp: number, marker: boolean, payloadType: number): boolean {
    const buf = this.#nextBuffer();
    const n = this.sender.writeWithTimestamp(buf, payload, timestamp, marker, payloadType);
    return this.#send(n);
  }

  /** Sends an already serialized packet (relaying): `data[0, length)`. */
  sendPacket(data: Buffer, length: number = data.length): boolean {
    const buf = this.#nextBuffer();
    if (length > buf.length) throw new RtpError('MEDIA_RTP_BUFFER', `packet larger than ${buf.length} octets`);
    if (length === data.length) buf.set(data);
    else for (let i = 0; i < length; i++) buf[i] = data[i]!;
    return this.#send(length);
  }

  /** Point-in-time counters for a CDR or metrics. */
  stats(): RtpSocketStats {
    return {
      localPort: this.localPort,
      remoteAddress: this.latch.address,
      remotePort: this.latch.address === undefined ? undefined : this.latch.port,
      latched: this.latch.latched,
      ssrc: this.sender.ssrc,
      remoteSsrc: this.receiver.ssrc,
      packetsIn: this.packetsIn,
      bytesIn: this.bytesIn,
      packetsOut: this.packetsOut,
      bytesOut: this.bytesOut,
      packetsLost: this.receiver.lostTotal,
      jitterMs: this.receiver.stats.jitterMs,
      invalidIn: this.invalidIn,
      droppedIn: this.droppedIn,
      sendDropped: this.sendDropped,
      rtcpIn: this.rtcpIn,
      rtcpOut: this.rtcpOut,
      rttMs: this.farEnd.rttMs,
      remoteFractionLost: this.farEnd.fractionLost,
      remoteCumulativeLost: this.farEnd.cumulativeLost,
      remoteJitterMs: this.farEnd.jitterMs,
    };
  }

  /** Builds and sends an RTCP report now (SR if we sent since the last one, else RR; SDES CNAME). */
  sendReport(bye = false): void {
    const dest = this.#rtcpDest();
    if (!dest || this.#closed) return;
    const packets = buildReport(this.sender, this.receiver, this.cname, this.#clock.now(), this.#wallClock(), bye);
    const data = buildRtcp(packets);
    if (!this.#options.rtcpMux) this.#pair.rtcp.send(data, dest.port, dest.address);
    else if (this.#connector.state === 'connected') this.#pair.rtp.send(data);
    else if (this.#connector.state === 'none') this.#pair.rtp.send(data, dest.port, dest.address);
    else return;
    this.rtcpOut++;
  }

  /** Stops everything and returns the ports to the pool; sends an RTCP BYE if media was exchanged. Idempotent. */
  close(): void {
    if (this.#closed) return;
    try {
      if (this.sender.packets > 0) this.sendReport(true);
    } catch (err) {
      this.#options.log?.debug({ err: errorMessage(err) }, 'RTCP BYE not sent');
    }
    this.#closed = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#pair.rtp.off('message', this.#onRtp);
    this.#pair.rtcp.off('message', this.#onRtcpSocket);
    this.#connector.close(); // the pair goes back to the pool once no connect() is in flight
  }

  #nextBuffer(): Buffer {
    if (this.#closed) throw new RtpError('MEDIA_RTP_CLOSED', 'RTP socket is closed');
    this.#ringIndex = (this.#ringIndex + 1) % SEND_RING;
    return this.#ring[this.#ringIndex]!;
  }

  #send(length: number): boolean {
    const i = this.#ringIndex;
    let view = this.#views[i]!;
    if (view.length !== length) {
      view = this.#ring[i]!.subarray(0, length);
      this.#views[i] = view;
    }
    const state = this.#connector.state;
    if (state === 'connected') {
      this.#pair.rtp.send(view);
    } else if (state === 'none' && this.latch.address !== undefined) {
      // An unconnected send resolves the address on a later tick and reads the buffer then: give it a copy.
      this.#pair.rtp.send(Buffer.from(view), this.latch.port, this.latch.address);
    } else {
      this.sendDropped++;
      return false;
    }
    this.packetsOut++;
    this.bytesOut += length;
    return true;
  }

  readonly #onRtp = (msg: Buffer, rinfo: RemoteInfo): void => {
    this.packetsIn++;
    this.bytesIn += msg.length;
    if (isRtcp(msg)) {
      // RFC 5761 section 4: RTCP packet types 192-223 where RTP would have M set and payload type 64-95.
      this.#onRtcp(msg, rinfo);
      return;
    }
    const view = this.#view;
    if (view.parse(msg) !== 'ok') {
      this.invalidIn++;
      return;
    }
    const verdict = this.latch.onPacket(rinfo.address, rinfo.port, view.ssrc, this.receiver.ssrc ?? this.receiver.expectedSsrc);
    if (verdict === 'drop') {
      this.droppedIn++;
      return;
    }
    if (verdict === 'latched') this.#onLatched();
    const r = this.receiver.receive(view, this.#clock.now());
    if (r === 'foreign' || r === 'bad') {
      this.droppedIn++;
      return;
    }
    try {
      this.#options.onPacket(view, r === 'ssrc-change');
    } catch (err) {
      if (this.callbackErrors++ === 0) this.#options.log?.warn({ err: errorMessage(err) }, 'RTP packet handler threw');
    }
  };

  readonly #onRtcpSocket = (msg: Buffer, rinfo: RemoteInfo): void => {
    this.#onRtcp(msg, rinfo);
  };

  #onRtcp(msg: Buffer, rinfo: RemoteInfo): void {
    let packets: RtcpPacket[];
    try {
      packets = parseRtcp(msg);
    } catch {
      this.invalidIn++;
      return;
    }
    this.rtcpIn++;
    const fromSource = applyReport(packets, this.sender, this.receiver, this.#clock.now(), this.#wallClock(), this.farEnd);
    if (fromSource && !this.#rtcpLatched && this.latch.enabled) this.#latchRtcp(rinfo);
    try {
      this.#options.onRtcp?.(packets);
    } catch (err) {
      if (this.callbackErrors++ === 0) this.#options.log?.warn({ err: errorMessage(err) }, 'RTCP handler threw');
    }
  }

  #latchRtcp(rinfo: RemoteInfo): void {
    this.#rtcpLatched = true;
    if (this.#options.rtcpMux) return;
    this.#rtcpRemote = { address: rinfo.address, port: rinfo.port };
  }

  #onLatched(): void {
    const address = this.latch.address!;
    const port = this.latch.port;
    if (!this.#rtcpLatched && (this.#rtcpRemote === undefined || this.#rtcpRemote.address !== address)) {
      this.#rtcpRemote = { address, port: port + 1 };
    }
    this.#connectTo(address, port);
  }

  #connectTo(address: string, port: number): void {
    if (this.#options.connect !== false) this.#connector.connectTo(address, port);
  }

  #rtcpDest(): RtpRemote | undefined {
    if (this.#options.rtcpMux) return this.latch.address === undefined ? undefined : { address: this.latch.address, port: this.latch.port };
    return this.#rtcpRemote;
  }

  #arm(meanMs: number): void {
    const delay = meanMs * (0.5 + Math.random());
    this.#timer = this.#clock.setTimeout(() => {
      if (this.#closed) return;
      try {
        this.sendReport();
      } catch (err) {
        this.#options.log?.debug({ err: errorMessage(err) }, 'RTCP report not sent');
      }
      this.#arm(this.#options.rtcpIntervalMs ?? 5000);
    }, delay);
  }
}
