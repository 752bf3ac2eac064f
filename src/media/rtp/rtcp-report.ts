/**
 * The RTCP report a stream sends and what it learns from the far end's (RFC 3550 section 6.4): an SR when
 * we sent RTP since the previous report, else an RR (6.4, simplified from "since the second previous
 * report"); one report block about the source we follow once it is valid; SDES CNAME in every compound
 * packet (6.1, 6.5.1); BYE last when leaving (6.6). From received reports: the LSR of an SR for our next
 * block, and round-trip time, loss and jitter from the far end's block about us.
 */
import { ntpFromUnixMs, ntpMiddle, ntpMiddleFromUnixMs, roundTripMs, SDES_CNAME, type ReportBlock, type RtcpPacket } from './rtcp.ts';
import type { RtpReceiver } from './rtp-receiver.ts';
import type { RtpSender } from './rtp-sender.ts';

/** What the far end reported about our stream. */
export interface FarEndReport {
  rttMs: number | undefined;
  fractionLost: number | undefined;
  cumulativeLost: number | undefined;
  jitterMs: number | undefined;
}

/** The compound packet to send at local time `nowMs` (arrival clock) and wall-clock `wallMs`. */
export function buildReport(sender: RtpSender, receiver: RtpReceiver, cname: string, nowMs: number, wallMs: number, bye: boolean): RtcpPacket[] {
  const reports: ReportBlock[] = [];
  if (receiver.stats.valid) reports.push(receiver.stats.reportBlock(nowMs));
  const packets: RtcpPacket[] = [];
  if (sender.packetsSinceReport > 0) {
    const ntp = ntpFromUnixMs(wallMs);
    packets.push({
      type: 'sr',
      ssrc: sender.ssrc,
      sender: {
        ntpSeconds: ntp.seconds,
        ntpFraction: ntp.fraction,
        rtpTimestamp: sender.timestampAt(nowMs),
        packetCount: sender.packets >>> 0,
        octetCount: sender.octets >>> 0,
      },
      reports,
    });
    sender.packetsSinceReport = 0;
  } else {
    packets.push({ type: 'rr', ssrc: sender.ssrc, reports });
  }
  packets.push({ type: 'sdes', chunks: [{ ssrc: sender.ssrc, items: [{ type: SDES_CNAME, value: cname }] }] });
  if (bye) packets.push({ type: 'bye', ssrcs: [sender.ssrc] });
  return packets;
}

/**
 * Applies a received compound packet: records an SR from the followed source, and updates `far` from a
 * report block about our SSRC. Returns true when an SR/RR came from the followed source (RTCP latching).
 */
export function applyReport(
  packets: readonly RtcpPacket[],
  sender: RtpSender,
  receiver: RtpReceiver,
  nowMs: number,
  wallMs: number,
  far: FarEndReport,
): boolean {
  let fromSource = false;
  for (const p of packets) {
    if (p.type !== 'sr' && p.type !== 'rr') continue;
    if (p.ssrc === receiver.ssrc) {
      fromSource = true;
      if (p.type === 'sr') receiver.stats.onSenderReport(ntpMiddle(p.sender.ntpSeconds, p.sender.ntpFraction), nowMs);
    }
    for (const block of p.reports) {
      if (block.ssrc !== sender.ssrc) continue;
      far.rttMs = roundTripMs(ntpMiddleFromUnixMs(wallMs), block.lastSr, block.delaySinceLastSr) ?? far.rttMs;
      far.fractionLost = block.fractionLost / 256;
      far.cumulativeLost = block.cumulativeLost;
      far.jitterMs = (block.jitter * 1000) / sender.clockRate;
    }
  }
  return fromSource;
}
