/**
 * A leg's media session in a media worker (media/worker) as core's ChannelMedia: the same behaviour as
 * SessionChannelMedia, with every operation posted to the worker as a command and every outcome taken
 * from the session's events. Bridging two legs of one worker relays inside that thread; legs of two
 * workers are joined by an RTP trunk (trunk-link.ts). Statistics are the worker's latest report.
 */
import type { Logger } from '../../lib/index.ts';
import type { RemoteSession } from '../../media/index.ts';
import type {
  AudioChunk, AudioStreamOptions, AudioTapOptions, MediaAudioStream, MediaAudioTap, ChannelMedia, ChannelMediaStats, MediaDtmf, MediaLink, MediaPlayOptions, MediaPlayback, MediaRecordOptions,
  MediaRecording, SendDtmfOptions, MediaOverlayTrack, MediaTrackPlayOptions,
} from '../../core/index.ts';
import { sinkLimits, trackPlayback, trackRecording } from './outcome-tracker.ts';
import { linkSessions } from './trunk-link.ts';

export class WorkerChannelMedia implements ChannelMedia {
  readonly session: RemoteSession;
  readonly #log: Logger;
  readonly #pending = new Set<() => void>();

  constructor(session: RemoteSession, log: Logger) {
    this.session = session;
    this.#log = log;
  }

  /** The leg's audio rate (its codec's). */
  get sampleRate(): number {
    return this.session.sampleRate;
  }

  play(source: string, options: MediaPlayOptions = {}): MediaPlayback {
    const s = this.session;
    if (s.closed) return { done: Promise.resolve({ status: 'stopped', durationMs: 0 }), stop: () => {} };
    const rate = s.sampleRate;
    return trackPlayback(s, {
      start: () => s.play(source, {
        loop: options.loops ?? 1,
        queue: true,
        ...(options.offsetSamples ? { startMs: Math.floor((options.offsetSamples * 1000) / rate) } : {}),
      }),
      stop: (id) => s.stopPlayback(id),
    }, { rate, offsetSamples: options.offsetSamples ?? 0, log: this.#log, name: source });
  }

  stopPlayback(): void {
    this.session.stopPlayback();
  }

  playStream(options: AudioStreamOptions): MediaAudioStream {
    const s = this.session;
    if (s.closed) return { write: () => {}, end: () => {}, stop: () => {}, done: Promise.resolve({ status: 'stopped', durationMs: 0 }) };
    const stream = s.playStream(options.sampleRate, options.prebufferMs ?? 0);
    const playback = trackPlayback(s, {
      start: () => stream.playbackId,
      stop: (id) => s.stopPlayback(id),
    }, { rate: s.sampleRate, log: this.#log, name: 'stream' });
    void playback.done.then(() => stream.close());
    return {
      write: (pcm) => stream.write(pcm.slice()),
      end: () => stream.end(),
      stop: () => playback.stop(),
      done: playback.done,
    };
  }

  record(sink: string, options: MediaRecordOptions = {}): MediaRecording {
    const s = this.session;
    if (s.closed) return { done: Promise.resolve({ status: 'failed', durationMs: 0, error: 'the leg has no media' }), stop: () => {} };
    const direction = options.direction ?? 'in';
    const stereo = direction === 'both' && options.stereo === true;
    const limits = sinkLimits(options);
    const recording = direction === 'both';
    return trackRecording(s, recording ? 'recording.stopped' : 'tap.stopped', {
      start: (failed) => (recording
        ? s.record(sink, stereo ? 'stereo' : 'mono', limits, failed)
        : s.addTap(sink, direction === 'in' ? 'received' : 'sent', limits, failed)),
      stop: (id) => (recording ? s.stopRecording(id) : s.removeTap(id)),
    }, { rate: s.sampleRate, log: this.#log, name: sink });
  }

  sendDtmf(digits: string, options: SendDtmfOptions = {}): Promise<void> {
    const s = this.session;
    if (s.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const finish = (): void => {
        offSent();
        offClosed();
        this.#pending.delete(finish);
        resolve();
      };
      const offSent = s.on('dtmf.sent', (e) => {
        if (e.digits === digits) finish();
      });
      const offClosed = s.on('closed', finish);
      this.#pending.add(finish);
      s.sendDtmf(digits, options.durationMs === undefined ? {} : { durationMs: options.durationMs });
    });
  }

  onDtmf(listener: (dtmf: MediaDtmf) => void): () => void {
    return this.session.on('dtmf', (e) => {
      if (e.digit === 'flash') return;
      listener({ digit: e.digit, durationMs: e.durationMs, source: e.source });
    });
  }

  tapAudio(options: AudioTapOptions, onAudio: (chunk: AudioChunk) => void): MediaAudioTap {
    const s = this.session;
    const direction = options.direction ?? 'in';
    const channels: 1 | 2 = direction === 'both' && options.stereo === true ? 2 : 1;
    const sampleRate = options.sampleRate ?? s.sampleRate;
    let resolve!: () => void;
    const done = new Promise<void>((r) => { resolve = r; });
    if (s.closed) {
      resolve();
      return { sampleRate, channels, done, stop: () => {} };
    }
    const mode = direction === 'in' ? 'received' : direction === 'out' ? 'sent' : channels === 2 ? 'both' : 'mixed';
    const format = { rate: sampleRate, channels, chunkMs: options.chunkMs ?? 100, sharedChunks: options.sharedChunks === true };
    const tap = s.tapChunks(mode, format, (pcm) => {
      try {
        onAudio({ pcm, sampleRate, channels });
      } catch (err) {
        this.#log.warn({ err }, 'audio tap listener failed');
      }
    }, resolve);
    return { sampleRate, channels, done, stop: () => tap.stop() };
  }

  bridge(other: ChannelMedia): MediaLink {
    if (!(other instanceof WorkerChannelMedia)) throw new Error('the other leg has no RTP media session of this server');
    return linkSessions(this.session, other.session);
  }

  echo(on: boolean): void {
    this.session.echo(on);
  }

  /** In-band DTMF detection on / off / automatic, in the leg's worker (start_dtmf / stop_dtmf). */
  setInbandDtmf(mode: 'auto' | 'on' | 'off'): void {
    this.session.setInbandDtmf(mode);
  }

  setMuted(on: boolean): void {
    this.session.setMuted(on);
  }

  setOutputGain(db: number): void {
    this.session.setOutputGain(db);
  }

  addTrack(name: string): MediaOverlayTrack {
    const s = this.session;
    return {
      name,
      play: (source: string, options: MediaTrackPlayOptions = {}) => {
        if (s.closed) return { done: Promise.resolve({ status: 'stopped', durationMs: 0 }), stop: () => {} };
        return trackPlayback(s, {
          start: () => s.playOverlay(name, source, { loop: options.loops ?? 1, ...(options.gainDb === undefined ? {} : { gainDb: options.gainDb }) }),
          stop: (id) => s.silenceOverlay(name, id),
        }, { rate: s.sampleRate, log: this.#log, name: source });
      },
      silence: () => s.silenceOverlay(name),
      close: () => s.removeOverlay(name),
    };
  }

  stats(): ChannelMediaStats {
    const s = this.session.stats();
    if (!s) {
      return { codec: this.session.config.codec.name.toUpperCase(), packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, packetsLost: 0, jitterMs: 0, dtmfIn: 0, dtmfOut: 0 };
    }
    return {
      codec: s.codec, packetsIn: s.packetsIn, packetsOut: s.packetsOut, bytesIn: s.bytesIn, bytesOut: s.bytesOut,
      packetsLost: s.packetsLost, jitterMs: s.jitterMs, dtmfIn: s.dtmfIn, dtmfOut: s.dtmfOut,
    };
  }

  close(): void {
    for (const finish of [...this.#pending]) finish();
    this.session.close('hangup');
  }

  /** Closes the session and resolves once the worker reported it closed (its final counters come just before). */
  closeWithStats(): Promise<ChannelMediaStats> {
    const s = this.session;
    const closed = s.closed ? Promise.resolve() : new Promise<void>((resolve) => s.on('closed', () => resolve()));
    this.close();
    return closed.then(() => this.stats());
  }
}
