/**
 * The media a SIP leg holds (sip-leg.ts): an RTP port pair from the pool (RFC 3550 section 11) or from a
 * media worker, the media session on it, the channel-facing adapter, and the leg's RFC 3264 offer/answer
 * state built with our capabilities. Opened when the leg is created, and again when media comes back
 * after a media bypass (then continuing our o= session, RFC 3264 section 8).
 */
import type { Logger } from '../../lib/index.ts';
import { MediaSession, MediaSessionError, RemoteSession, UdpRtpTransport, type MediaClock, type MediaWorkers, type PortPool } from '../../media/index.ts';
import { OfferAnswer, type LocalMediaConfig, type SdpOrigin } from '../../sdp/index.ts';
import type { ChannelMedia } from '../../core/index.ts';
import { localMediaOf, provisionalConfig } from './media-config.ts';
import { SessionChannelMedia } from './session-channel-media.ts';
import { WorkerChannelMedia } from './worker-channel-media.ts';
import type { SourceSettings } from './media-operations.ts';

export interface LegMediaSettings {
  /** The in-thread port pool (used when there are no media workers). */
  pool?: PortPool;
  clock: MediaClock;
  /** The address written in our SDP (c= and o=). */
  advertisedAddress: string;
  codecs: readonly string[];
  sources: SourceSettings;
  /** Media worker threads: when given, sessions live there rather than on this thread's clock. */
  workers?: MediaWorkers;
  /** Symmetric RTP latching (RFC 4961 usage): send to where the peer's packets come from (default true). */
  latching?: boolean;
  /**
   * Media worker placement of inbound legs: legs whose called number gives the same key share a worker
   * (e.g. callers of one conference number, so the room mixes them without RTP trunks).
   */
  affinity?: (destination: string) => string | undefined;
}

export interface LegMedia {
  oa: OfferAnswer;
  localMedia: LocalMediaConfig;
  session: MediaSession | RemoteSession;
  media: SessionChannelMedia | WorkerChannelMedia;
}

/**
 * Takes a port pair (throws MEDIA_NO_PORT when the pool is empty) and starts a session on it; with media
 * workers, in the worker of `near`, the one the affinity key was placed on, or the least loaded one.
 */
export function openLegMedia(
  settings: LegMediaSettings, log: Logger, near: ChannelMedia | undefined, affinity: string | undefined, origin?: Pick<SdpOrigin, 'sessionId' | 'sessionVersion'>,
): LegMedia {
  const oaOf = (local: LocalMediaConfig): OfferAnswer => new OfferAnswer({ local, ...(origin ?? {}) });
  if (settings.workers) {
    const worker = near instanceof WorkerChannelMedia ? near.session.worker : settings.workers.pick(affinity);
    const session = RemoteSession.open(worker, provisionalConfig(), settings.latching === false ? { latching: false } : {});
    try {
      const localMedia = localMediaOf(settings.advertisedAddress, session.localPort, settings.codecs);
      return { localMedia, oa: oaOf(localMedia), session, media: new WorkerChannelMedia(session, log) };
    } catch (err) {
      session.close();
      throw err;
    }
  }
  if (!settings.pool) throw new MediaSessionError('MEDIA_SESSION_PORT', 'no RTP port pool and no media workers');
  const transport = UdpRtpTransport.open(settings.pool, { log, ...(settings.latching === false ? { latching: false } : {}) });
  let localMedia: LocalMediaConfig;
  let oa: OfferAnswer;
  let session: MediaSession;
  try {
    localMedia = localMediaOf(settings.advertisedAddress, transport.localPort, settings.codecs);
    oa = oaOf(localMedia);
    session = new MediaSession({ port: transport, config: provisionalConfig(), clock: settings.clock, log });
  } catch (err) {
    transport.close();
    throw err;
  }
  return { localMedia, oa, session, media: new SessionChannelMedia(session, settings.sources, log) };
}

