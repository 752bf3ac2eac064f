/**
 * The packet I/O under a media session (RFC 3550): send one serialized RTP packet, receive parsed
 * packets through one callback, set the remote, read counters, close. The plain UDP implementation is
 * udp-rtp-transport.ts; a WebRTC leg (ICE/DTLS-SRTP) is another implementation of the same port, so the
 * session above never knows which one it has.
 *
 * Per packet the port calls its handler synchronously with a view it reuses for the next packet; the
 * handler must not keep the view (copy what it needs). RTCP (RFC 3550 section 6) is the port's own
 * business: it reports on the stream it carries.
 */
import type { RtpPacketView, RtpRemote } from '../rtp/index.ts';

/** Called once per valid received RTP packet; `sourceChanged` marks the first packet of a new SSRC. */
export type RtpPacketHandler = (packet: RtpPacketView, sourceChanged: boolean) => void;

/** Counters of one transport (for CDRs and metrics). */
export interface RtpTransportStats {
  localAddress: string;
  localPort: number;
  remoteAddress: string | undefined;
  remotePort: number | undefined;
  /** SSRC of the stream we send and of the stream we follow. */
  ssrc: number;
  remoteSsrc: number | undefined;
  packetsIn: number;
  bytesIn: number;
  packetsOut: number;
  bytesOut: number;
  /** RFC 3550 A.3 cumulative loss of the received stream(s). */
  packetsLost: number;
  /** RFC 3550 A.8 interarrival jitter of the received stream, ms. */
  jitterMs: number;
  /** Round-trip time from the far end's last RTCP report block about us, ms. */
  rttMs: number | undefined;
  /** Sends dropped because there was no destination yet. */
  sendDropped: number;
}

export interface RtpTransportPort {
  /** 'udp' or 'webrtc'; informational. */
  readonly kind: string;
  readonly localAddress: string;
  /** RTP port (what goes in the SDP m= line). */
  readonly localPort: number;
  /** The SSRC outgoing packets must carry (RFC 3550 section 8: one per stream, chosen by the port). */
  readonly ssrc: number;
  readonly closed: boolean;
  /** Installs the receive handler (one at a time; undefined stops delivery). */
  setHandler(handler: RtpPacketHandler | undefined): void;
  /**
   * Sends `packet[0, length)`, a complete RTP packet carrying `ssrc`. The port copies what it keeps, so
   * the caller may reuse the buffer at once. False when it was dropped (no destination yet, closed).
   */
  send(packet: Buffer, length: number): boolean;
  /** A new remote from signalling (offer/answer, re-INVITE); undefined or unusable: learn it from packets. */
  setRemote(remote: RtpRemote | undefined): void;
  /** The negotiated payload format now runs at `clockRate` (a re-INVITE changed codec): for RTCP and jitter. */
  setClockRate?(clockRate: number): void;
  stats(): RtpTransportStats;
  /** Stops I/O and gives the port back (to its pool). Idempotent. */
  close(): void;
}
