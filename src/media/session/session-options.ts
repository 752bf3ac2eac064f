/**
 * How a media session is built (MediaSession's constructor) and how a recording is asked for. The
 * negotiated part (RFC 3264: codec, payload types, ptime, direction, remote) is MediaSessionConfig
 * (session-config.ts); these are the local choices around it.
 */
import type { Clock, Logger } from '../../lib/index.ts';
import type { MediaClock } from '../media-clock.ts';
import type { TalkDetectionOptions } from '../mixer.ts';
import type { JitterBufferSettings } from './receive-path.ts';
import type { RtpTransportPort } from './rtp-transport.ts';
import type { MediaSessionConfig } from './session-config.ts';

export interface MediaSessionOptions {
  port: RtpTransportPort;
  config: MediaSessionConfig;
  /** Session id (events and logs); generated when absent. */
  id?: string;
  /** The media clock of this thread (default threadMediaClock()). */
  clock?: MediaClock;
  /** Time source of packet arrivals: the media clock's own (default systemClock). */
  time?: Clock;
  /** When nothing plays: send encoded silence (default, keeps NAT bindings and RTP flowing) or nothing. */
  silence?: 'send' | 'none';
  /** In-band DTMF detection: 'auto' (when no telephone-event is negotiated, the default), 'on', 'off'. */
  inbandDtmf?: 'auto' | 'on' | 'off';
  /** Talk detection on the received audio ('talk' events). */
  talkDetection?: boolean | TalkDetectionOptions;
  jitterBuffer?: JitterBufferSettings;
  /** A relayed stream silent this long is filled with the session's own silence (default 100 ms). */
  relayIdleMs?: number;
  log?: Logger;
}

export interface RecordOptions {
  /**
   * 'stereo' (default): each tick channel 0 gets what the party says and channel 1 what it hears; the
   * sink keeps them apart or mixes them as it was built (a mono WavRecorder mixes). 'mono': the session
   * mixes both into channel 0 (channel 1 stays silent).
   */
  mode?: 'mono' | 'stereo';
  /** Caller-chosen recording id (a worker host proxies with ids it chose); generated when absent. */
  id?: string;
}
