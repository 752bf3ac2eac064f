/**
 * A media session that lives in a media worker, seen from the core's thread: the same configuration,
 * commands and events as a MediaSession (media-session.ts), carried as plain-data messages. Commands are
 * posted without waiting (the worker runs them in order); events arrive as the session's own typed
 * events; statistics are the worker's latest periodic report (at most one period old) and, once the
 * session has closed, its final figures.
 */
import { TypedEmitter, errorMessage } from '../../lib/index.ts';
import type {
  MediaCommand, MediaEventMessage, MediaSessionConfig, MediaSessionEvents, MediaSessionStats, SessionSettings,
} from '../session/index.ts';
import type { SinkLimits } from '../sinks/index.ts';
import type { MediaEventTarget, MediaWorker } from './media-worker.ts';

let nextId = 0;

/** How long events of a closed session are still delivered. */
const FEED_GRACE_MS = 10_000;

/** A fresh id for a session, playback, recording, bridge or room (unique in this process). */
export function mediaId(prefix: string): string {
  return `${prefix}${(++nextId).toString(36)}`;
}

export class RemoteSession implements MediaEventTarget {
  readonly id: string;
  readonly worker: MediaWorker;
  readonly localAddress: string;
  readonly localPort: number;
  readonly #events = new TypedEmitter<MediaSessionEvents>();
  #config: MediaSessionConfig;
  #closed = false;
  #stats: MediaSessionStats | undefined;

  private constructor(worker: MediaWorker, id: string, port: number, config: MediaSessionConfig) {
    this.worker = worker;
    this.id = id;
    this.localAddress = worker.address;
    this.localPort = port;
    this.#config = config;
  }

  /** Takes a port the worker set aside (throws MEDIA_NO_PORT when it has none) and opens the session there. */
  static open(worker: MediaWorker, config: MediaSessionConfig, settings: SessionSettings = {}): RemoteSession {
    const port = worker.takePort();
    const s = new RemoteSession(worker, mediaId('s'), port, config);
    worker.register(`session:${s.id}`, s);
    worker.countSession(1);
    worker.post({ op: 'session.open', sessionId: s.id, config, settings, port });
    return s;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get config(): MediaSessionConfig {
    return this.#config;
  }

  /** PCM rate of the negotiated codec (the rate of what is played and recorded). */
  get sampleRate(): number {
    return this.#config.codec.sampleRate;
  }

  on<K extends keyof MediaSessionEvents>(event: K, listener: (payload: MediaSessionEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  configure(config: MediaSessionConfig): void {
    if (this.#closed) return;
    this.#config = config;
    this.worker.post({ op: 'session.configure', sessionId: this.id, config });
  }

  play(source: string, options: { loop?: number; queue?: boolean; startMs?: number } = {}): string {
    const playbackId = mediaId('p');
    this.worker.post({ op: 'session.play', sessionId: this.id, playbackId, source, ...options });
    return playbackId;
  }

  /**
   * Plays audio pushed from this thread: `write` sends chunks (their buffers are transferred: pass copies
   * you do not keep), `end` lets it finish, `close` releases the worker's source once the playback settled.
   */
  playStream(sampleRate: number, prebufferMs = 0): { playbackId: string; write(pcm: Int16Array): void; end(): void; close(): void } {
    const streamId = mediaId('st');
    this.worker.stream({ type: 'stream.open', streamId, sampleRate, prebufferMs });
    const playbackId = mediaId('p');
    this.worker.post({ op: 'session.play', sessionId: this.id, playbackId, source: `stream:${streamId}`, loop: 1, queue: true });
    let ended = false;
    return {
      playbackId,
      write: (pcm) => { if (!ended) this.worker.stream({ type: 'stream.push', streamId, pcm }); },
      end: () => {
        if (ended) return;
        ended = true;
        this.worker.stream({ type: 'stream.push', streamId, end: true });
      },
      close: () => this.worker.stream({ type: 'stream.close', streamId }),
    };
  }

  stopPlayback(playbackId?: string): void {
    if (this.#closed) return;
    this.worker.post({ op: 'session.stopPlayback', sessionId: this.id, ...(playbackId === undefined ? {} : { playbackId }) });
  }

  /**
   * Taps the session's audio into chunks posted back to this thread: `onAudio` hears them until the tap
   * stops; returns the tap's id (`stopTap` ends it). `mixed`: both directions in one channel. With
   * `sharedChunks` the chunks are views into the worker's batch buffer (MediaEventTarget.sharedChunks).
   */
  tapChunks(
    mode: 'received' | 'sent' | 'both' | 'mixed', format: { rate: number; channels: 1 | 2; chunkMs: number; sharedChunks?: boolean },
    onAudio: (pcm: Int16Array) => void, onStopped: () => void,
  ): { id: string; stop(): void } {
    const audioId = mediaId('a');
    const key = `audio:${audioId}`;
    this.worker.register(key, { onMediaEvent: () => {}, onAudio, sharedChunks: format.sharedChunks === true });
    const sink = `chunks:${audioId}?rate=${format.rate}&channels=${format.channels}&ms=${format.chunkMs}`;
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      off();
      this.worker.forget(key);
      onStopped();
    };
    const failed = (): void => end();
    const id = mode === 'mixed' ? this.record(sink, 'mono', undefined, failed) : this.addTap(sink, mode, undefined, failed);
    const off = this.on(mode === 'mixed' ? 'recording.stopped' : 'tap.stopped', (e) => {
      if (e.id === id) end();
    });
    return {
      id,
      stop: () => {
        if (ended) return;
        if (mode === 'mixed') this.stopRecording(id);
        else this.removeTap(id);
      },
    };
  }

  /** Starts a recording; `onFailed` hears why it could not start (the sink did not open). */
  record(sink: string, mode: 'mono' | 'stereo', limits?: SinkLimits, onFailed?: (message: string) => void): string {
    const recordingId = mediaId('r');
    this.#run({ op: 'session.record', sessionId: this.id, recordingId, sink, mode, ...(limits ? { limits } : {}) }, onFailed);
    return recordingId;
  }

  stopRecording(recordingId: string): void {
    if (!this.#closed) this.worker.post({ op: 'session.stopRecording', sessionId: this.id, recordingId });
  }

  addTap(sink: string, mode: 'received' | 'sent' | 'both', limits?: SinkLimits, onFailed?: (message: string) => void): string {
    const tapId = mediaId('t');
    this.#run({ op: 'session.addTap', sessionId: this.id, tapId, sink, mode, ...(limits ? { limits } : {}) }, onFailed);
    return tapId;
  }

  #run(command: MediaCommand, onFailed: ((message: string) => void) | undefined): void {
    if (!onFailed) return this.worker.post(command);
    this.worker.call(command).catch((err: unknown) => onFailed(errorMessage(err)));
  }

  removeTap(tapId: string): void {
    if (!this.#closed) this.worker.post({ op: 'session.removeTap', sessionId: this.id, tapId });
  }

  sendDtmf(digits: string, options: { durationMs?: number; interDigitMs?: number } = {}): void {
    this.worker.post({ op: 'session.sendDtmf', sessionId: this.id, digits, ...options });
  }

  injectDtmf(digit: string, durationMs?: number): void {
    if (this.#closed) return;
    this.worker.post({ op: 'session.injectDtmf', sessionId: this.id, digit, ...(durationMs === undefined ? {} : { durationMs }) });
  }

  echo(on: boolean): void {
    if (!this.#closed) this.worker.post({ op: 'session.echo', sessionId: this.id, on });
  }

  /** In-band DTMF detection on, off or automatic (MediaSession.setInbandDtmf). */
  setInbandDtmf(mode: 'auto' | 'on' | 'off'): void {
    if (!this.#closed) this.worker.post({ op: 'session.inbandDtmf', sessionId: this.id, mode });
  }

  /** Mutes what the party says for everything that hears it (MediaSession.setMuted). */
  setMuted(on: boolean): void {
    if (!this.#closed) this.worker.post({ op: 'session.mute', sessionId: this.id, on });
  }

  /** The gain of what the party hears, in dB; 0 removes it (MediaSession.setOutputGain). */
  setOutputGain(db: number): void {
    if (!this.#closed) this.worker.post({ op: 'session.gain', sessionId: this.id, db });
  }

  /** Plays `source` on overlay track `track` (MediaSession.overlay); returns the playback id. */
  playOverlay(track: string, source: string, options: { loop?: number; gainDb?: number } = {}): string {
    const playbackId = mediaId('p');
    this.worker.post({ op: 'session.overlayPlay', sessionId: this.id, track, playbackId, source, ...options });
    return playbackId;
  }

  /** Stops what overlay track `track` plays (or only `playbackId`). */
  silenceOverlay(track: string, playbackId?: string): void {
    if (!this.#closed) this.worker.post({ op: 'session.overlaySilence', sessionId: this.id, track, ...(playbackId === undefined ? {} : { playbackId }) });
  }

  removeOverlay(track: string): void {
    if (!this.#closed) this.worker.post({ op: 'session.overlayRemove', sessionId: this.id, track });
  }

  /** The latest statistics the worker reported (undefined before the first report). */
  stats(): MediaSessionStats | undefined {
    return this.#stats;
  }

  /** Closes the session in the worker (its ports go back to the worker's pool); idempotent. */
  close(reason = 'closed'): void {
    if (this.#closed) return;
    this.worker.post({ op: 'session.close', sessionId: this.id, reason });
  }

  onStats(stats: MediaSessionStats): void {
    this.#stats = stats;
  }

  onMediaEvent(message: MediaEventMessage): void {
    if (message.kind !== 'session') return;
    if (message.event === 'closed') {
      if (this.#closed) return;
      this.#closed = true;
      this.worker.countSession(-1);
      // The stop events of recordings and taps follow `closed` (their files are finished asynchronously).
      setTimeout(() => this.worker.forget(`session:${this.id}`), FEED_GRACE_MS).unref();
    }
    (this.#events.emit as (e: string, p: unknown) => void)(message.event, message.payload);
  }
}
