/**
 * One audio fork of a call to a listen/stream socket (specs/jambonz.md §3.C): connects, sends the
 * metadata frame, then the leg's audio as binary L16 frames (mono: the caller; mixed: both directions
 * in one channel; stereo: caller left, what the caller hears right) at the asked rate, DTMF text frames
 * with `passDtmf`, and plays what the app sends back (socket-player.ts). `pause` stops the audio (the
 * socket stays open), `silence` sends silence of the same length instead, `resume` goes back to the
 * audio. The fork ends once, with a reason: `disconnect` frame, `finishOnKey`, `maxLength`, the socket
 * closing or failing (connect refused, handshake timeout), stop() or the call ending. A text frame the
 * app gets wrong is logged and ignored; the call goes on.
 */
import type { Channel, MediaAudioTap } from '../../../../core/index.ts';
import type { Clock, Logger, TimerHandle } from '../../../../lib/index.ts';
import { dtmfFrame, metadataFrame, parseAppFrame } from './audio-protocol.ts';
import { AudioSocket } from './audio-socket.ts';
import type { ListenOptions } from './listen-options.ts';
import { pcmToBytes, upsample2x } from './pcm.ts';
import { SocketPlayer } from './socket-player.ts';

export type ListenEndReason = 'disconnect' | 'finishOnKey' | 'maxLength' | 'socket-closed' | 'connect-failed' | 'stopped' | 'hangup';
export type ListenStatus = 'pause' | 'silence' | 'resume';

export interface ListenEnd {
  reason: ListenEndReason;
  /** Digits pressed during the fork (finishOnKey not included). */
  digits: string;
  durationMs: number;
  error?: string;
}

export interface ListenForkDeps {
  channel: Channel;
  clock: Clock;
  log: Logger;
  /** Call info (snake_case, CallInfo.toJSON) for the metadata frame. */
  callInfo: () => Record<string, unknown>;
  connectTimeoutMs?: number;
}

/** Audio taps run between 8 and 48 kHz; 64 kHz frames are made from a 32 kHz tap. */
const tapRateOf = (rate: number): number => (rate === 64000 ? 32000 : rate);

export class ListenFork {
  readonly options: ListenOptions;
  readonly ended: Promise<ListenEnd>;
  readonly #deps: ListenForkDeps;
  readonly #log: Logger;
  readonly #offs: (() => void)[] = [];
  #resolve!: (end: ListenEnd) => void;
  #socket: AudioSocket | undefined;
  #tap: MediaAudioTap | undefined;
  #player: SocketPlayer | undefined;
  #maxTimer: TimerHandle | undefined;
  #status: ListenStatus = 'resume';
  #digits = '';
  #startedAt = 0;
  #opened = false;
  #done = false;

  constructor(options: ListenOptions, deps: ListenForkDeps) {
    this.options = options;
    this.#deps = deps;
    this.#log = deps.log.child({ listen: options.url });
    this.ended = new Promise((resolve) => { this.#resolve = resolve; });
  }

  get status(): ListenStatus { return this.#status; }

  /** Connects and starts the audio; resolves false when the fork ended before audio flowed. */
  async start(): Promise<boolean> {
    const { channel, clock } = this.#deps;
    const o = this.options;
    this.#startedAt = clock.now();
    const media = channel.media;
    if (!media?.tapAudio) {
      this.#finish('connect-failed', 'the leg has no media to fork');
      return false;
    }
    this.#offs.push(channel.on('hangup', () => this.#finish('hangup')));
    const socket = new AudioSocket({ url: o.url, auth: o.auth, ...(this.#deps.connectTimeoutMs ? { connectTimeoutMs: this.#deps.connectTimeoutMs } : {}) }, this.#log);
    this.#socket = socket;
    socket.on('closed', (e) => this.#finish(this.#opened ? 'socket-closed' : 'connect-failed', e.error ?? (e.code !== 1000 ? `closed with ${e.code}` : undefined)));
    const opened = await socket.opened;
    if (!opened.ok || this.#done) {
      this.#finish('connect-failed', opened.ok ? undefined : opened.error);
      return false;
    }
    this.#opened = true;
    this.#log.info({ protocol: opened.protocol }, 'audio socket connected');
    socket.sendJson(metadataFrame(this.#deps.callInfo(), { sampleRate: o.sampleRate, mixType: o.mixType }, o.metadata));
    const send = (frame: Record<string, unknown>): void => socket.sendJson(frame);
    this.#player = new SocketPlayer(media, o.streamRate, send, clock, this.#log);
    socket.on('text', (text) => this.#onText(text));
    socket.on('binary', (bytes) => {
      if (o.streaming) this.#player?.write(bytes);
      else this.#log.debug('binary frame from the app outside streaming mode: ignored');
    });
    this.#offs.push(channel.on('dtmf', (d) => this.#onDtmf(d.digit, d.durationMs)));
    const direction = o.mixType === 'mono' ? 'in' : 'both';
    // Each chunk is sent at once (copied into its frame), so it may share its buffer with other taps' chunks.
    const tapOptions = { direction, stereo: o.mixType === 'stereo', sampleRate: tapRateOf(o.sampleRate), chunkMs: 20, sharedChunks: true } as const;
    this.#tap = media.tapAudio(tapOptions, (chunk) => {
      if (this.#status === 'pause' || this.#done) return;
      if (this.#status === 'silence') chunk.pcm.fill(0);
      socket.sendAudio(pcmToBytes(o.sampleRate === 64000 ? upsample2x(chunk.pcm) : chunk.pcm));
    });
    if (o.maxLengthMs !== undefined) this.#maxTimer = clock.setTimeout(() => this.#finish('maxLength'), o.maxLengthMs);
    return !this.#done;
  }

  /** pause / silence / resume (command `listen:status`, REST `listen_status`). */
  setStatus(status: ListenStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    this.#log.info({ status }, 'listen status');
  }

  /** Ends the fork (verb killed, call ended); idempotent. */
  stop(reason: 'stopped' | 'hangup' = 'stopped'): void {
    this.#finish(reason);
  }

  #onText(text: string): void {
    const r = parseAppFrame(text);
    if (!r.ok) {
      this.#log.warn({ error: r.error, frame: text.slice(0, 200) }, 'unusable frame from the audio socket: ignored');
      return;
    }
    const f = r.frame;
    const player = this.#player;
    switch (f.type) {
      case 'playAudio': {
        if (!this.options.playAudio) {
          this.#log.info('playAudio ignored: bidirectional audio is off or in streaming mode');
          return;
        }
        const err = player?.play(f.data);
        if (err) this.#log.warn({ error: err }, 'playAudio refused');
        return;
      }
      case 'killAudio': player?.kill(); return;
      case 'disconnect': this.#finish('disconnect'); return;
      case 'mark': player?.mark(f.data.name); return;
      case 'clearMarks': player?.clearMarks(); return;
      default:
        this.#log.info({ type: f.type, data: 'data' in f ? f.data : undefined }, 'audio socket event');
    }
  }

  #onDtmf(digit: string, durationMs: number): void {
    const o = this.options;
    if (o.passDtmf) this.#socket?.sendJson(dtmfFrame(digit, durationMs));
    if (o.finishOnKey !== undefined && o.finishOnKey.includes(digit)) {
      this.#finish('finishOnKey');
      return;
    }
    this.#digits += digit;
  }

  #finish(reason: ListenEndReason, error?: string): void {
    if (this.#done) return;
    this.#done = true;
    for (const off of this.#offs.splice(0)) off();
    this.#maxTimer?.cancel();
    this.#tap?.stop();
    this.#player?.close();
    this.#socket?.close(1000);
    const end: ListenEnd = { reason, digits: this.#digits, durationMs: this.#deps.clock.now() - this.#startedAt, ...(error ? { error } : {}) };
    if (reason === 'connect-failed') this.#log.warn({ error }, 'audio socket could not be used');
    else this.#log.info({ reason, ...(error ? { error } : {}) }, 'listen ended');
    this.#resolve(end);
  }
}
