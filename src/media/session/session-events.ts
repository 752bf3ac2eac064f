/**
 * The events and statistics of a media session: low-frequency, plain data (serializable as they are, so
 * a worker-thread host posts them unchanged). Nothing is emitted per packet or per tick.
 */
import type { DtmfSignal, DtmfSource } from './dtmf-inbound.ts';
import type { FeedStopReason } from './feed-set.ts';
import type { PlaybackStopReason } from './player.ts';
import type { MediaDirection } from './session-config.ts';
import type { SessionMode } from './session-link.ts';

/** A recording or tap ended; a host that enforced limits adds which one stopped it and how much was written. */
export interface FeedStopped {
  id: string;
  reason: FeedStopReason;
  error?: string;
  limit?: 'max-duration' | 'silence';
  durationMs?: number;
  samples?: number;
}

export type MediaSessionEvents = {
  /** A playback sounds (its first tick). */
  'playback.started': { id: string };
  'playback.stopped': { id: string; reason: PlaybackStopReason; error?: string };
  /** A recording's sink was closed (the file is complete) or failed. */
  'recording.stopped': FeedStopped;
  'tap.stopped': FeedStopped;
  /** A digit received, once, when it ended. */
  dtmf: { digit: DtmfSignal; durationMs: number; source: DtmfSource };
  /** Every digit of one sendDtmf() call went out. */
  'dtmf.sent': { digits: string };
  /** Talk detection on the received audio (when enabled). */
  talk: { state: 'talking' | 'stopped'; level: number };
  /** A failure inside the tick that did not stop the session (reported once per kind). */
  error: { code: string; message: string };
  closed: { reason: string };
};

export interface MediaSessionStats {
  id: string;
  mode: SessionMode;
  codec: string;
  payloadType: number;
  clockRate: number;
  ptime: number;
  direction: MediaDirection;
  localPort: number;
  remoteAddress: string | undefined;
  remotePort: number | undefined;
  /** Transport totals (RTP, and RTCP when multiplexed). */
  packetsIn: number;
  bytesIn: number;
  packetsOut: number;
  bytesOut: number;
  /** RFC 3550 A.3 loss and A.8 jitter of the received stream; RTT from RTCP. */
  packetsLost: number;
  jitterMs: number;
  rttMs: number | undefined;
  /** Received: audio and telephone-event packets, packets of other payload types, packets ignored (not receiving). */
  audioPacketsIn: number;
  eventPacketsIn: number;
  otherPacketsIn: number;
  ignoredPacketsIn: number;
  /** Sent: encoded here, relayed from the bridged leg (or echoed), RFC 4733 events. */
  localPacketsOut: number;
  relayedPacketsOut: number;
  eventPacketsOut: number;
  /** Decoding (only while something needs the audio). */
  decodedFrames: number;
  concealedFrames: number;
  jitterBufferDelayMs: number;
  jitterBufferLate: number;
  dtmfIn: number;
  dtmfOut: number;
}
