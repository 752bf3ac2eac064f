/**
 * Echo (the classic echo test, and what sipp's rtp_echo checks packet for packet): every RTP packet the
 * session receives, audio and RFC 4733 events alike, is relayed straight back into its own outgoing
 * stream, rewritten to our SSRC and numbering (RFC 3550 section 7.1, outbound-stream.ts). While the
 * far end is quiet for longer than the session's relayIdleMs the session's own silence keeps the stream
 * alive (unless it was built with silence 'none', which a strict packet-for-packet check wants).
 */
import type { SessionLink } from './session-link.ts';

export const ECHO: SessionLink = {
  mode: 'echo',
  onAudioPacket: (from, v, nowMs) => void from.relayIn(v, true, nowMs),
  onEventPacket: (from, v, nowMs) => void from.relayIn(v, false, nowMs),
  onDigit: () => {},
  afterReceive: () => {},
  produce: (to, out) => {
    if (to.rxAudio) out.set(to.rxFrame);
    else out.fill(0);
    return 'relay';
  },
  needsDecode: () => false,
  reconfigured: () => {},
  detach: (s) => s.detachLink(ECHO),
};
