/** RTP and RTCP (RFC 3550, RFC 3551, RFC 4961 symmetric RTP, RFC 5761 rtcp-mux): packets, statistics, streams, sockets, ports. */
export { RtpError, type RtpErrorCode } from './errors.ts';
export {
  RtpPacketView,
  parseRtpPacket,
  serializeRtpPacket,
  writeRtpHeader,
  rtpOverhead,
  RTP_VERSION,
  RTP_HEADER_SIZE,
  type RtpHeader,
  type RtpParseResult,
} from './rtp-packet.ts';
export {
  parseRtcp,
  serializeRtcp,
  buildRtcp,
  rtcpPacketSize,
  isRtcp,
  ntpFromUnixMs,
  ntpMiddle,
  ntpMiddleFromUnixMs,
  roundTripMs,
  RTCP_SR,
  RTCP_RR,
  RTCP_SDES,
  RTCP_BYE,
  RTCP_APP,
  SDES_CNAME,
  NTP_UNIX_OFFSET,
  type RtcpPacket,
  type ReportBlock,
  type SenderInfo,
  type SdesChunk,
  type SdesItem,
} from './rtcp.ts';
export { buildReport, applyReport, type FarEndReport } from './rtcp-report.ts';
export { SequenceTracker, seqDiff, seqAdd, RTP_SEQ_MOD, MAX_DROPOUT, MAX_MISORDER, MIN_SEQUENTIAL, type SeqVerdict } from './sequence-tracker.ts';
export { tsDiff, tsAdd, tsAfter, TimestampUnwrapper } from './rtp-timestamp.ts';
export { RtpReceiveStats, fractionLost, clampCumulativeLost, updateJitter, type LossInterval } from './rtp-stats.ts';
export { RtpSender, type RtpSenderOptions } from './rtp-sender.ts';
export { RtpReceiver, type RtpReceiverOptions, type RtpReceiveVerdict } from './rtp-receiver.ts';
export { RtpLatch, usableRemote, type LatchVerdict } from './rtp-latch.ts';
export { PortPool, type PortPoolOptions, type PortPair, type PortSource, type ReleaseOptions } from './port-pool.ts';
export { RtpSocket, type RtpSocketOptions, type RtpRemote, type RtpSocketStats } from './rtp-socket.ts';
