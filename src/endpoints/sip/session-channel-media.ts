/**
 * A leg's MediaSession (RTP, RFC 3550) as core's ChannelMedia: playback of spec strings, WAV
 * recordings of either or both directions, RFC 4733 digits out and every received digit in (RFC 4733,
 * in-band, SIP INFO), bridging to another leg's session (relay or transcode), echo and the counters the
 * CDR keeps. close() closes the session, which gives its RTP ports back to the pool.
 */
import type { Logger } from '../../lib/index.ts';
import { ChunkSink, TtsStreamSource, bridgeSessions, type MediaSession } from '../../media/index.ts';
import type {
  AudioChunk, AudioStreamOptions, AudioTapOptions, MediaAudioStream, MediaAudioTap, PlaybackOutcome, ChannelMedia, ChannelMediaStats, MediaDtmf, MediaLink, MediaPlayOptions, MediaPlayback, MediaRecordOptions,
  MediaRecording, SendDtmfOptions, MediaOverlayTrack, MediaTrackPlayOptions,
} from '../../core/index.ts';
import { startPlayback, startRecording, type SourceSettings } from './media-operations.ts';

export class SessionChannelMedia implements ChannelMedia {
  readonly session: MediaSession;
  readonly #settings: SourceSettings;
  readonly #log: Logger;
  readonly #stopped = new Set<() => void>();

  constructor(session: MediaSession, settings: SourceSettings, log: Logger) {
    this.session = session;
    this.#settings = settings;
    this.#log = log;
  }

  /** The leg's audio rate (its codec's). */
  get sampleRate(): number {
    return this.session.sampleRate;
  }

  play(source: string, options: MediaPlayOptions = {}): MediaPlayback {
    return startPlayback(this.session, source, options, this.#settings, this.#log);
  }

  stopPlayback(): void {
    this.session.stopPlayback();
  }

  record(sink: string, options: MediaRecordOptions = {}): MediaRecording {
    const session = this.session;
    const direction = options.direction ?? 'in';
    const stereo = direction === 'both' && options.stereo === true;
    return startRecording(sink, session.sampleRate, stereo ? 2 : 1, options, {
      attach: (audio) => {
        const recording = direction === 'both';
        const id = recording
          ? session.record(audio, { mode: stereo ? 'stereo' : 'mono' })
          : session.addTap(audio, direction === 'in' ? 'received' : 'sent');
        return {
          remove: () => (recording ? session.stopRecording(id) : session.removeTap(id)),
          onStopped: (listener) => session.on(recording ? 'recording.stopped' : 'tap.stopped', (e) => {
            if (e.id === id) listener(e.reason, e.error);
          }),
        };
      },
    }, this.#log);
  }

  sendDtmf(digits: string, options: SendDtmfOptions = {}): Promise<void> {
    const session = this.session;
    return new Promise<void>((resolve) => {
      const finish = (): void => {
        offSent();
        offClosed();
        this.#stopped.delete(finish);
        resolve();
      };
      const offSent = session.on('dtmf.sent', (e) => {
        if (e.digits === digits) finish();
      });
      const offClosed = session.on('closed', finish);
      this.#stopped.add(finish);
      try {
        session.sendDtmf(digits, options.durationMs === undefined ? {} : { durationMs: options.durationMs });
      } catch (err) {
        finish();
        throw err;
      }
    });
  }

  onDtmf(listener: (dtmf: MediaDtmf) => void): () => void {
    return this.session.on('dtmf', (e) => {
      if (e.digit === 'flash') return;
      listener({ digit: e.digit, durationMs: e.durationMs, source: e.source });
    });
  }

  tapAudio(options: AudioTapOptions, onAudio: (chunk: AudioChunk) => void): MediaAudioTap {
    const session = this.session;
    const direction = options.direction ?? 'in';
    const channels: 1 | 2 = direction === 'both' && options.stereo === true ? 2 : 1;
    const sampleRate = options.sampleRate ?? session.sampleRate;
    const sink = new ChunkSink({ sampleRate, channels, ...(options.chunkMs ? { chunkMs: options.chunkMs } : {}) }, (pcm) => {
      try {
        onAudio({ pcm, sampleRate, channels });
      } catch (err) {
        this.#log.warn({ err }, 'audio tap listener failed');
      }
    });
    let resolve!: () => void;
    const done = new Promise<void>((r) => { resolve = r; });
    if (session.closed) {
      resolve();
      return { sampleRate, channels, done, stop: () => {} };
    }
    const mixed = direction === 'both' && channels === 1;
    const id = mixed ? session.record(sink, { mode: 'mono' }) : session.addTap(sink, direction === 'in' ? 'received' : direction === 'out' ? 'sent' : 'both');
    const off = session.on(mixed ? 'recording.stopped' : 'tap.stopped', (e) => {
      if (e.id !== id) return;
      off();
      resolve();
    });
    return {
      sampleRate, channels, done,
      stop: () => {
        if (session.closed) return;
        if (mixed) session.stopRecording(id);
        else session.removeTap(id);
      },
    };
  }

  playStream(options: AudioStreamOptions): MediaAudioStream {
    const session = this.session;
    const source = new TtsStreamSource({ sampleRate: session.sampleRate, ...(options.prebufferMs ? { prebufferMs: options.prebufferMs } : {}) });
    let resolve!: (o: PlaybackOutcome) => void;
    const done = new Promise<PlaybackOutcome>((r) => { resolve = r; });
    if (session.closed) {
      resolve({ status: 'stopped', durationMs: 0 });
      return { write: () => {}, end: () => {}, stop: () => {}, done };
    }
    const startedAt = Date.now();
    const id = session.play(source, { queue: true, loop: 1 });
    const off = session.on('playback.stopped', (e) => {
      if (e.id !== id) return;
      off();
      const durationMs = Date.now() - startedAt;
      resolve(e.reason === 'finished' ? { status: 'done', durationMs } : e.reason === 'stopped' ? { status: 'stopped', durationMs }
        : { status: 'failed', durationMs, error: e.error ?? 'stream failed' });
    });
    return {
      write: (pcm) => { if (!source.ended) source.push(pcm, options.sampleRate); },
      end: () => source.end(),
      stop: () => { if (!session.closed) session.stopPlayback(id); },
      done,
    };
  }

  bridge(other: ChannelMedia): MediaLink {
    if (!(other instanceof SessionChannelMedia)) throw new Error('the other leg has no RTP media session of this server');
    const bridge = bridgeSessions(this.session, other.session);
    return {
      get mode() {
        return bridge.mode === 'transcode' ? 'transcode' : 'relay';
      },
      close: () => bridge.close(),
    };
  }

  echo(on: boolean): void {
    this.session.echo(on);
  }

  /** In-band DTMF detection on / off / automatic (start_dtmf / stop_dtmf); nothing once closed. */
  setInbandDtmf(mode: 'auto' | 'on' | 'off'): void {
    if (!this.session.closed) this.session.setInbandDtmf(mode);
  }

  setMuted(on: boolean): void {
    if (!this.session.closed) this.session.setMuted(on);
  }

  addTrack(name: string): MediaOverlayTrack {
    const session = this.session;
    if (!session.closed) session.overlay.add(name);
    const overlay = (): MediaSession['overlay'] | undefined => (session.closed ? undefined : session.overlay);
    return {
      name,
      play: (source: string, options: MediaTrackPlayOptions = {}) => startPlayback({
        get sampleRate() { return session.sampleRate; },
        get closed() { return session.closed; },
        play: (src, o) => session.overlay.play(name, src, { loop: o?.loop ?? 1, ...(options.gainDb === undefined ? {} : { gainDb: options.gainDb }) }),
        stopPlayback: (id) => (id === undefined ? overlay()?.silence(name) : overlay()?.stopPlayback(id)) ?? false,
        on: (event, listener) => session.on(event, listener),
      }, source, { loops: options.loops ?? 1 }, this.#settings, this.#log),
      silence: () => { overlay()?.silence(name); },
      close: () => { overlay()?.remove(name); },
    };
  }

  stats(): ChannelMediaStats {
    const s = this.session.stats();
    return {
      codec: s.codec,
      packetsIn: s.packetsIn,
      packetsOut: s.packetsOut,
      bytesIn: s.bytesIn,
      bytesOut: s.bytesOut,
      packetsLost: s.packetsLost,
      jitterMs: s.jitterMs,
      dtmfIn: s.dtmfIn,
      dtmfOut: s.dtmfOut,
    };
  }

  close(): void {
    for (const finish of [...this.#stopped]) finish();
    this.session.close('hangup');
  }
}
