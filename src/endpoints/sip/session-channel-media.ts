/**
 * A leg's MediaSession (RTP, RFC 3550) as core's ChannelMedia: playback of spec strings, WAV
 * recordings of either or both directions, RFC 4733 digits out and every received digit in (RFC 4733,
 * in-band, SIP INFO), bridging to another leg's session (relay or transcode), echo and the counters the
 * CDR keeps. close() closes the session, which gives its RTP ports back to the pool.
 */
import type { Logger } from '../../lib/index.ts';
import { ChunkSink, TtsStreamSource, bridgeSessions, type MediaSession } from '../../media/index.ts';
import type {
  AudioChunk, AudioStreamOptions, AudioTapOptions, MediaAudioStream, MediaAudioTap, ChannelMedia, ChannelMediaStats, MediaDtmf, MediaLink, MediaPlayOptions, MediaPlayback, MediaRecordOptions,
  MediaRecording, SendDtmfOptions, MediaOverlayTrack, MediaTrackPlayOptions,
} from '../../core/index.ts';
import { startPlayback, startRecording, type SourceSettings } from './media-operations.ts';
import { trackPlayback, trackRecording } from './outcome-tracker.ts';

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
    const recording = direction === 'both';
    return startRecording(sink, session.sampleRate, stereo ? 2 : 1, options, {
      events: session,
      feed: recording ? 'recording.stopped' : 'tap.stopped',
      add: (audio) => (recording
        ? session.record(audio, { mode: stereo ? 'stereo' : 'mono' })
        : session.addTap(audio, direction === 'in' ? 'received' : 'sent')),
      remove: (id) => { if (recording) session.stopRecording(id); else session.removeTap(id); },
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
    if (session.closed) return { sampleRate, channels, done: Promise.resolve(), stop: () => {} };
    const mixed = direction === 'both' && channels === 1;
    const tap = trackRecording(session, mixed ? 'recording.stopped' : 'tap.stopped', {
      start: () => (mixed ? session.record(sink, { mode: 'mono' }) : session.addTap(sink, direction === 'in' ? 'received' : direction === 'out' ? 'sent' : 'both')),
      stop: (id) => { if (mixed) session.stopRecording(id); else session.removeTap(id); },
    }, { rate: sampleRate, log: this.#log, name: 'audio tap' });
    return { sampleRate, channels, done: tap.done.then(() => undefined), stop: () => tap.stop() };
  }

  playStream(options: AudioStreamOptions): MediaAudioStream {
    const session = this.session;
    const source = new TtsStreamSource({ sampleRate: session.sampleRate, ...(options.prebufferMs ? { prebufferMs: options.prebufferMs } : {}) });
    if (session.closed) return { write: () => {}, end: () => {}, stop: () => {}, done: Promise.resolve({ status: 'stopped', durationMs: 0 }) };
    const playback = trackPlayback(session, {
      start: () => session.play(source, { queue: true, loop: 1 }),
      stop: (id) => { session.stopPlayback(id); },
    }, { rate: session.sampleRate, log: this.#log, name: 'stream' });
    return {
      write: (pcm) => { if (!source.ended) source.push(pcm, options.sampleRate); },
      end: () => source.end(),
      stop: () => playback.stop(),
      done: playback.done,
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

  setOutputGain(db: number): void {
    if (!this.session.closed) this.session.setOutputGain(db);
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
        stopPlayback: (id) => overlay()?.stopPlayback(id) ?? false,
        on: session.on.bind(session),
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
