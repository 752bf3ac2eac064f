/**
 * The media of a SIPREC recording session (RFC 7866 section 8): two send-only RTP sessions next to the
 * recorded leg's own, in the same thread as it (the core's thread or the leg's media worker), each fed
 * by a fork of one direction of the leg (media/session session-fork.ts): stream 1 what the party says,
 * stream 2 what it hears. Audio never crosses threads: in a worker, the forks are created there by
 * `fork.create` commands. The sessions start inactive (nothing to send to before the answer), are
 * configured from the answer and reconfigured on pause / resume; close() releases everything.
 */
import { errorMessage, type Logger } from '../../../lib/index.ts';
import {
  MediaSession, RemoteSession, UdpRtpTransport, forkSession, mediaId, type MediaSessionConfig, type SessionFork,
} from '../../../media/index.ts';
import type { ChannelMedia } from '../../../core/index.ts';
import { SessionChannelMedia } from '../session-channel-media.ts';
import type { LegMediaSettings } from '../sip-leg.ts';
import { WorkerChannelMedia } from '../worker-channel-media.ts';

const DIRECTIONS = ['received', 'sent'] as const;

/** What a stream runs on before the answer: PCMU, sending nothing. */
function idleConfig(): MediaSessionConfig {
  return { codec: { name: 'PCMU', pt: 0, clockRate: 8000, sampleRate: 8000, channels: 1 }, ptime: 20, direction: 'inactive' };
}

interface Stream {
  readonly port: number;
  configure(config: MediaSessionConfig): void;
  fork(direction: 'received' | 'sent'): () => void;
  close(): void;
}

function localStream(leg: MediaSession, settings: LegMediaSettings, log: Logger): Stream {
  if (!settings.pool) throw new Error('no RTP port pool');
  const transport = UdpRtpTransport.open(settings.pool, { log, latching: false });
  let session: MediaSession;
  try {
    session = new MediaSession({ port: transport, config: idleConfig(), clock: leg.clock, inbandDtmf: 'off', log });
  } catch (err) {
    transport.close();
    throw err;
  }
  return {
    port: transport.localPort,
    configure: (config) => session.configure(config),
    fork: (direction) => {
      const fork: SessionFork = forkSession(leg, session, direction);
      return () => fork.close();
    },
    close: () => session.close('recording ended'),
  };
}

function workerStream(leg: RemoteSession): Stream {
  const session = RemoteSession.open(leg.worker, idleConfig(), { latching: false, inbandDtmf: 'off' });
  return {
    port: session.localPort,
    configure: (config) => session.configure(config),
    fork: (direction) => {
      const forkId = mediaId('f');
      leg.worker.post({ op: 'fork.create', forkId, from: leg.id, to: session.id, direction });
      return () => leg.worker.post({ op: 'fork.close', forkId });
    },
    close: () => session.close('recording ended'),
  };
}

export class SiprecStreams {
  readonly #streams: [Stream, Stream];
  readonly #log: Logger;
  #unfork: (() => void)[] = [];
  #closed = false;

  private constructor(streams: [Stream, Stream], log: Logger) {
    this.#streams = streams;
    this.#log = log;
  }

  /** Opens the two streams next to the leg's media; throws when the leg has no RTP session here or no port is free. */
  static open(media: ChannelMedia | undefined, settings: LegMediaSettings, log: Logger): SiprecStreams {
    let make: () => Stream;
    if (media instanceof WorkerChannelMedia) {
      if (media.session.closed) throw new Error('the leg has no media');
      make = () => workerStream(media.session);
    } else if (media instanceof SessionChannelMedia) {
      if (media.session.closed) throw new Error('the leg has no media');
      make = () => localStream(media.session, settings, log);
    } else {
      throw new Error('the leg has no RTP media session of this server');
    }
    const first = make();
    let second: Stream;
    try {
      second = make();
    } catch (err) {
      first.close();
      throw err;
    }
    return new SiprecStreams([first, second], log);
  }

  get ports(): [number, number] {
    return [this.#streams[0].port, this.#streams[1].port];
  }

  /** Applies the answer of each stream (undefined: the stream is not sent) and starts the forks once. */
  apply(configs: [MediaSessionConfig | undefined, MediaSessionConfig | undefined]): void {
    if (this.#closed) return;
    this.#streams.forEach((s, i) => {
      const config = configs[i];
      if (!config) return;
      s.configure(config);
    });
    if (this.#unfork.length > 0) return;
    this.#streams.forEach((s, i) => {
      if (!configs[i]) return;
      try {
        this.#unfork.push(s.fork(DIRECTIONS[i]!));
      } catch (err) {
        this.#log.warn({ err: errorMessage(err), stream: i + 1 }, 'recording stream not fed');
      }
    });
  }

  /** Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const unfork of this.#unfork.splice(0)) unfork();
    for (const s of this.#streams) s.close();
  }
}
