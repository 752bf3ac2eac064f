/**
 * A leg's media session in a media worker (media/worker) as core's ChannelMedia: the same behaviour as
 * SessionChannelMedia, with every operation posted to the worker as a command and every outcome taken
 * from the session's events. Bridging two legs of one worker relays inside that thread; legs of two
 * workers are joined by an RTP trunk (trunk-link.ts). Statistics are the worker's latest report.
 */
import type { Logger } from '../../lib/index.ts';
import type { RemoteSession } from '../../media/index.ts';
import type {
  AudioChunk, AudioTapOptions, MediaAudioTap, ChannelMedia, ChannelMediaStats, MediaDtmf, MediaLink, MediaPlayOptions, MediaPlayback, MediaRecordOptions,
  MediaRecording, PlaybackOutcome, RecordOutcome, SendDtmfOptions,
} from '../../core/index.ts';
import { settleLate } from './settle-late.ts';
import { linkSessions } from './trunk-link.ts';

export class WorkerChannelMedia implements ChannelMedia {
  readonly session: RemoteSession;
  readonly #log: Logger;
  readonly #pending = new Set<() => void>();

  constructor(session: RemoteSession, log: Logger) {
    this.session = session;
    this.#log = log;
  }

  play(source: string, options: MediaPlayOptions = {}): MediaPlayback {
    const s = this.session;
    if (s.closed) return { done: Promise.resolve({ status: 'stopped', durationMs: 0 }), stop: () => {} };
    let resolve!: (o: PlaybackOutcome) => void;
    const done = new Promise<PlaybackOutcome>((r) => { resolve = r; });
    const rate = s.sampleRate;
    let settled = false;
    let startedAt: number | undefined;
    const offs: (() => void)[] = [];
    const settle = (o: PlaybackOutcome): void => {
      if (settled) return;
      settled = true;
      for (const off of offs) off();
      resolve(o);
    };
    const played = (): { durationMs: number; offsetSamples: number } => {
      const durationMs = startedAt === undefined ? 0 : Date.now() - startedAt;
      return { durationMs, offsetSamples: (options.offsetSamples ?? 0) + Math.round((durationMs * rate) / 1000) };
    };
    let id = '';
    offs.push(
      s.on('playback.started', (e) => {
        if (e.id === id) startedAt = Date.now();
      }),
      s.on('playback.stopped', (e) => {
        if (e.id !== id) return;
        if (e.reason === 'finished') settle({ status: 'done', ...played() });
        else if (e.reason === 'stopped') settle({ status: 'stopped', ...played() });
        else {
          this.#log.info({ source, err: e.error }, 'playback failed');
          settle({ status: 'failed', ...played(), error: e.error ?? 'playback failed' });
        }
      }),
      s.on('closed', () => settle({ status: 'stopped', ...played() })),
    );
    id = s.play(source, {
      loop: options.loops ?? 1,
      queue: true,
      ...(options.offsetSamples ? { startMs: Math.floor((options.offsetSamples * 1000) / rate) } : {}),
    });
    return { done, stop: () => { if (!settled) s.stopPlayback(id); } };
  }

  stopPlayback(): void {
    this.session.stopPlayback();
  }

  record(sink: string, options: MediaRecordOptions = {}): MediaRecording {
    const s = this.session;
    if (s.closed) return { done: Promise.resolve({ status: 'failed', durationMs: 0, error: 'the leg has no media' }), stop: () => {} };
    const direction = options.direction ?? 'in';
    const stereo = direction === 'both' && options.stereo === true;
    const limits = {
      ...(options.maxDurationMs === undefined ? {} : { maxDurationMs: options.maxDurationMs }),
      ...(options.silenceTimeoutMs === undefined ? {} : { silenceTimeoutMs: options.silenceTimeoutMs }),
      ...(options.silenceThreshold === undefined ? {} : { silenceThreshold: options.silenceThreshold }),
    };
    let resolve!: (o: RecordOutcome) => void;
    const done = new Promise<RecordOutcome>((r) => { resolve = r; });
    let settled = false;
    let requested: 'stopped' | 'hangup' | undefined;
    const offs: (() => void)[] = [];
    const settle = (o: RecordOutcome): void => {
      if (settled) return;
      settled = true;
      for (const off of offs) off();
      resolve(o);
    };
    const failed = (error: string): void => {
      this.#log.warn({ path: sink, err: error }, 'recording failed');
      settle({ status: 'failed', durationMs: 0, error });
    };
    const recording = direction === 'both';
    let id = '';
    offs.push(
      s.on(recording ? 'recording.stopped' : 'tap.stopped', (e) => {
        if (e.id !== id) return;
        const durationMs = e.durationMs ?? 0;
        const samples = e.samples ?? Math.round((durationMs * s.sampleRate) / 1000);
        if (e.reason === 'error') {
          this.#log.warn({ path: sink, err: e.error }, 'recording failed');
          settle({ status: 'failed', durationMs, samples, error: e.error ?? 'recording failed' });
          return;
        }
        const reason = e.limit ?? requested ?? (e.reason === 'closed' ? 'hangup' : 'stopped');
        settle({ status: reason === 'stopped' || reason === 'hangup' ? 'stopped' : 'done', reason, durationMs, samples });
      }),
      s.on('closed', (e) => settleLate(e.reason, () => settle({ status: 'stopped', reason: 'hangup', durationMs: 0 }))),
    );
    id = recording
      ? s.record(sink, stereo ? 'stereo' : 'mono', limits, failed)
      : s.addTap(sink, direction === 'in' ? 'received' : 'sent', limits, failed);
    return {
      done,
      stop: (why = 'stopped') => {
        if (settled || requested) return;
        requested = why;
        if (recording) s.stopRecording(id);
        else s.removeTap(id);
      },
    };
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
    const tap = s.tapChunks(mode, { rate: sampleRate, channels, chunkMs: options.chunkMs ?? 100 }, (pcm) => {
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
