/**
 * The message-shaped face of the media engine, for a host that owns sessions on behalf of another
 * thread (the call core posting to a media worker): every command and every event is plain data
 * (structured-clone and JSON safe). Ids are chosen by the sender, so a command never waits for a reply
 * to be addressed later; sources and sinks cross as spec strings that the host opens with factories it
 * was given (media/sources openSource() for "tone_stream://...", files and URLs; a WAV recorder for a
 * path). Replies carry results (the local RTP port, statistics) or an error code.
 *
 * A worker runs one MediaCommandHost next to its PortPool and media clock:
 *
 *   parentPort.on('message', ({ seq, command }) => host.handle(command).then(
 *     (result) => parentPort.postMessage({ seq, ok: true, result }),
 *     (err) => parentPort.postMessage({ seq, ok: false, code: err.code, message: err.message })));
 *
 * with `post: (m) => parentPort.postMessage(m)` for the events.
 */
import { errorMessage, type Clock, type Logger } from '../../lib/index.ts';
import type { MediaClock } from '../media-clock.ts';
import type { PortPair, PortSource } from '../rtp/index.ts';
import { LimitedSink, type AudioSink, type SinkLimits } from '../sinks/index.ts';
import type { AudioSource } from '../sources/index.ts';
import type { ConferenceRoomEvents } from './conference-room.ts';
import { ConferenceRoom } from './conference-room.ts';
import { MediaBridge } from './media-bridge.ts';
import { MediaSession } from './media-session.ts';
import { SessionFork } from './session-fork.ts';
import type { MediaSessionConfig } from './session-config.ts';
import { MediaSessionError } from './session-error.ts';
import { SessionControls, isSessionControl, type SessionControlCommand } from './session-controls.ts';
import type { FeedStopped, MediaSessionEvents, MediaSessionStats } from './session-events.ts';
import { UdpRtpTransport } from './udp-rtp-transport.ts';

/** Session settings that may cross a thread boundary (MediaSessionOptions without objects). */
export interface SessionSettings {
  silence?: 'send' | 'none';
  inbandDtmf?: 'auto' | 'on' | 'off';
  talkDetection?: boolean;
  rtcpMux?: boolean;
  latching?: boolean;
}

export type MediaCommand =
  | { op: 'session.open'; sessionId: string; config: MediaSessionConfig; settings?: SessionSettings; port?: number }
  | { op: 'session.configure'; sessionId: string; config: MediaSessionConfig }
  | { op: 'session.play'; sessionId: string; playbackId: string; source: string; loop?: number; queue?: boolean; startMs?: number }
  | { op: 'session.stopPlayback'; sessionId: string; playbackId?: string }
  | { op: 'session.record'; sessionId: string; recordingId: string; sink: string; mode?: 'mono' | 'stereo'; limits?: SinkLimits }
  | { op: 'session.stopRecording'; sessionId: string; recordingId: string }
  | { op: 'session.addTap'; sessionId: string; tapId: string; sink: string; mode: 'received' | 'sent' | 'both'; limits?: SinkLimits }
  | { op: 'session.removeTap'; sessionId: string; tapId: string }
  | { op: 'session.sendDtmf'; sessionId: string; digits: string; durationMs?: number; interDigitMs?: number }
  | { op: 'session.injectDtmf'; sessionId: string; digit: string; durationMs?: number }
  | { op: 'session.echo'; sessionId: string; on: boolean }
  /** In-band DTMF detection on, off or automatic (MediaSession.setInbandDtmf). */
  | { op: 'session.inbandDtmf'; sessionId: string; mode: 'auto' | 'on' | 'off' }
  | { op: 'session.stats'; sessionId: string }
  | { op: 'session.close'; sessionId: string; reason?: string }
  | { op: 'bridge.create'; bridgeId: string; a: string; b: string; mode?: 'auto' | 'transcode' }
  | { op: 'bridge.close'; bridgeId: string }
  /** Sends one direction of `from`'s audio out through `to` (session-fork.ts); both in this host. */
  | { op: 'fork.create'; forkId: string; from: string; to: string; direction: 'received' | 'sent' }
  | { op: 'fork.close'; forkId: string }
  | { op: 'room.create'; roomId: string; sampleRate?: 8000 | 16000 }
  | { op: 'room.join'; roomId: string; sessionId: string; memberId?: string; mute?: boolean; deaf?: boolean }
  | { op: 'room.leave'; roomId: string; memberId: string }
  | { op: 'room.member'; roomId: string; memberId: string; mute?: boolean; deaf?: boolean; inputDb?: number; outputDb?: number;
    /** Coaching: only these members hear this one ([] nobody); null: everyone again. */
    audience?: string[] | null }
  | { op: 'room.play'; roomId: string; playbackId: string; source: string; loop?: number; queue?: boolean }
  | { op: 'room.stopPlayback'; roomId: string; playbackId?: string }
  | { op: 'room.record'; roomId: string; recordingId: string; sink: string; limits?: SinkLimits }
  | { op: 'room.stopRecording'; roomId: string; recordingId: string }
  | { op: 'room.close'; roomId: string }
  /** Mute and overlay tracks of a session (session-controls.ts). */
  | SessionControlCommand;

/** Results of the commands that have one. */
export interface SessionOpened {
  localAddress: string;
  localPort: number;
}

export type MediaEventMessage =
  | { [K in keyof MediaSessionEvents]: { kind: 'session'; id: string; event: K; payload: MediaSessionEvents[K] } }[keyof MediaSessionEvents]
  | { [K in keyof ConferenceRoomEvents]: { kind: 'room'; id: string; event: K; payload: ConferenceRoomEvents[K] } }[keyof ConferenceRoomEvents]
  /** Statistics of sessions: all of them periodically (statsAll), and each one's last just before its `closed`. */
  | { kind: 'stats'; entries: [string, MediaSessionStats][] };

export type MediaReply = { seq: number; ok: true; result?: SessionOpened | MediaSessionStats | boolean } | { seq: number; ok: false; code: string; message: string };

export interface MediaCommandHostOptions {
  pool: PortSource;
  /** A pair set aside earlier for `session.open` with a `port` (a worker hands port numbers out ahead). */
  takeReserved?(port: number): PortPair | undefined;
  /** The worker's media clock and its time source (defaults: the thread's clock, systemClock). */
  clock?: MediaClock;
  time?: Clock;
  /** Opens a source spec at the session's (or room's) rate. */
  openSource(spec: string, sampleRate: number, options?: { startMs?: number }): AudioSource | Promise<AudioSource>;
  /** Opens a sink spec at a rate (the session's or room's; the sink may choose its own), mono or stereo. */
  openSink(spec: string, sampleRate: number, options?: { channels?: 1 | 2 }): AudioSink | Promise<AudioSink>;
  /** Where events go (postMessage in a worker). */
  post(message: MediaEventMessage): void;
  log?: Logger;
}

const SESSION_EVENTS: readonly (keyof MediaSessionEvents)[] = [
  'playback.started', 'playback.stopped', 'recording.stopped', 'tap.stopped', 'dtmf', 'dtmf.sent', 'talk', 'error', 'closed',
];
const ROOM_EVENTS: readonly (keyof ConferenceRoomEvents)[] = [
  'member.joined', 'member.left', 'talk', 'playback.started', 'playback.stopped', 'recording.stopped', 'closed',
];

export class MediaCommandHost {
  readonly #o: MediaCommandHostOptions;
  readonly #sessions = new Map<string, MediaSession>();
  readonly #bridges = new Map<string, MediaBridge>();
  readonly #forks = new Map<string, SessionFork>();
  readonly #rooms = new Map<string, ConferenceRoom>();
  /** Playbacks whose source is still opening: stopped before they start. */
  readonly #opening = new Set<string>();
  /** Recordings and taps opened here, each behind its limits. */
  readonly #feeds = new Map<string, { sink: LimitedSink }>();
  readonly #controls: SessionControls;

  constructor(options: MediaCommandHostOptions) {
    this.#o = options;
    this.#controls = new SessionControls({
      openSource: (spec, rate) => options.openSource(spec, rate),
      postStopped: (id, payload) => this.#post({ kind: 'session', id, event: 'playback.stopped', payload }),
    });
  }

  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Applies one command; resolves with its result, rejects with a MediaSessionError (or the layer's typed error). */
  async handle(c: MediaCommand): Promise<SessionOpened | MediaSessionStats | boolean | undefined> {
    if (isSessionControl(c)) return this.#controls.handle(c, this.#session(c.sessionId));
    switch (c.op) {
      case 'session.open':
        return this.#open(c.sessionId, c.config, c.settings ?? {}, c.port);
      case 'session.configure':
        this.#session(c.sessionId).configure(c.config);
        return undefined;
      case 'session.play':
        await this.#play(c.sessionId, c.playbackId, c.source, c.loop, c.queue, c.startMs);
        return undefined;
      case 'session.stopPlayback':
        if (c.playbackId !== undefined) this.#opening.delete(`${c.sessionId}/${c.playbackId}`);
        return this.#session(c.sessionId).stopPlayback(c.playbackId);
      case 'session.record': {
        const s = this.#session(c.sessionId);
        const opened = await this.#o.openSink(c.sink, s.sampleRate, { channels: c.mode === 'stereo' ? 2 : 1 });
        const sink = this.#limit(opened, c.recordingId, c.limits, () => s.stopRecording(c.recordingId));
        return this.#attachSink(sink, () => s.record(sink, { id: c.recordingId, ...(c.mode ? { mode: c.mode } : {}) }));
      }
      case 'session.stopRecording':
        return this.#session(c.sessionId).stopRecording(c.recordingId);
      case 'session.addTap': {
        const s = this.#session(c.sessionId);
        const opened = await this.#o.openSink(c.sink, s.sampleRate, { channels: 1 });
        const sink = this.#limit(opened, c.tapId, c.limits, () => s.removeTap(c.tapId));
        return this.#attachSink(sink, () => s.addTap(sink, c.mode, { id: c.tapId }));
      }
      case 'session.removeTap':
        return this.#session(c.sessionId).removeTap(c.tapId);
      case 'session.sendDtmf':
        this.#session(c.sessionId).sendDtmf(c.digits, {
          ...(c.durationMs === undefined ? {} : { durationMs: c.durationMs }),
          ...(c.interDigitMs === undefined ? {} : { interDigitMs: c.interDigitMs }),
        });
        return undefined;
      case 'session.injectDtmf':
        this.#session(c.sessionId).injectDtmf(c.digit, c.durationMs);
        return undefined;
      case 'session.inbandDtmf':
        this.#session(c.sessionId).setInbandDtmf(c.mode);
        return undefined;
      case 'session.echo':
        this.#session(c.sessionId).echo(c.on);
        return undefined;
      case 'session.stats':
        return this.#session(c.sessionId).stats();
      case 'session.close':
        this.#sessions.get(c.sessionId)?.close(c.reason);
        return undefined;
      case 'bridge.create': {
        this.#fresh(this.#bridges, c.bridgeId, 'bridge');
        const bridge = new MediaBridge(this.#session(c.a), this.#session(c.b), { mode: c.mode ?? 'auto' });
        this.#bridges.set(c.bridgeId, bridge);
        return undefined;
      }
      case 'bridge.close':
        this.#bridges.get(c.bridgeId)?.close();
        this.#bridges.delete(c.bridgeId);
        return undefined;
      case 'fork.create': {
        this.#fresh(this.#forks, c.forkId, 'fork');
        const fork = new SessionFork(this.#session(c.from), this.#session(c.to), c.direction, { id: c.forkId });
        this.#forks.set(c.forkId, fork);
        return undefined;
      }
      case 'fork.close':
        this.#forks.get(c.forkId)?.close();
        this.#forks.delete(c.forkId);
        return undefined;
      case 'room.create':
        return this.#createRoom(c.roomId, c.sampleRate);
      case 'room.join':
        this.#room(c.roomId).join(this.#session(c.sessionId), {
          ...(c.memberId === undefined ? {} : { memberId: c.memberId }),
          ...(c.mute === undefined ? {} : { mute: c.mute }),
          ...(c.deaf === undefined ? {} : { deaf: c.deaf }),
        });
        return undefined;
      case 'room.leave':
        return this.#room(c.roomId).leave(c.memberId);
      case 'room.member': {
        const r = this.#room(c.roomId);
        if (c.mute !== undefined) r.setMute(c.memberId, c.mute);
        if (c.deaf !== undefined) r.setDeaf(c.memberId, c.deaf);
        r.setGains(c.memberId, { ...(c.inputDb === undefined ? {} : { inputDb: c.inputDb }), ...(c.outputDb === undefined ? {} : { outputDb: c.outputDb }) });
        if (c.audience !== undefined) r.setAudience(c.memberId, c.audience ?? undefined);
        return undefined;
      }
      case 'room.play': {
        const r = this.#room(c.roomId);
        const source = await this.#o.openSource(c.source, r.mixer.sampleRate);
        r.play(source, { id: c.playbackId, ...(c.loop === undefined ? {} : { loop: c.loop }), ...(c.queue ? { queue: true } : {}) });
        return undefined;
      }
      case 'room.stopPlayback':
        return this.#room(c.roomId).stopPlayback(c.playbackId);
      case 'room.record': {
        const r = this.#room(c.roomId);
        const opened = await this.#o.openSink(c.sink, r.mixer.sampleRate, { channels: 1 });
        const sink = this.#limit(opened, c.recordingId, c.limits, () => r.stopRecording(c.recordingId));
        return this.#attachSink(sink, () => r.record(sink, { id: c.recordingId }));
      }
      case 'room.stopRecording':
        return this.#room(c.roomId).stopRecording(c.recordingId);
      case 'room.close':
        this.#rooms.get(c.roomId)?.close();
        return undefined;
    }
  }

  /** Closes every room and session (bridges end with them). */
  close(): void {
    for (const r of [...this.#rooms.values()]) r.close();
    for (const s of [...this.#sessions.values()]) s.close('host closed');
    this.#bridges.clear();
    this.#forks.clear();
  }

  #open(id: string, config: MediaSessionConfig, settings: SessionSettings, reservedPort: number | undefined): SessionOpened {
    this.#fresh(this.#sessions, id, 'session');
    const port = UdpRtpTransport.open(this.#portSource(reservedPort), {
      clockRate: config.codec?.clockRate,
      ...(this.#o.time ? { clock: this.#o.time } : {}),
      ...(settings.rtcpMux === undefined ? {} : { rtcpMux: settings.rtcpMux }),
      ...(settings.latching === undefined ? {} : { latching: settings.latching }),
      ...(this.#o.log ? { log: this.#o.log } : {}),
    });
    let session: MediaSession;
    try {
      session = new MediaSession({
        id,
        port,
        config,
        ...(this.#o.clock ? { clock: this.#o.clock } : {}),
        ...(this.#o.time ? { time: this.#o.time } : {}),
        ...(settings.silence ? { silence: settings.silence } : {}),
        ...(settings.inbandDtmf ? { inbandDtmf: settings.inbandDtmf } : {}),
        ...(settings.talkDetection ? { talkDetection: true } : {}),
        ...(this.#o.log ? { log: this.#o.log } : {}),
      });
    } catch (err) {
      port.close();
      throw err;
    }
    this.#sessions.set(id, session);
    for (const event of SESSION_EVENTS) {
      if (event === 'recording.stopped' || event === 'tap.stopped') {
        session.on(event, (payload) => this.#post({ kind: 'session', id, event, payload: this.#withLimits(payload) }));
      } else if (event === 'closed') {
        session.on(event, (payload) => {
          this.#postStats(id, session);
          this.#post({ kind: 'session', id, event, payload });
        });
      } else {
        session.on(event, (payload) => this.#post({ kind: 'session', id, event, payload } as MediaEventMessage));
      }
    }
    session.on('closed', () => {
      this.#sessions.delete(id);
      for (const [bid, b] of this.#bridges) if (b.closed) this.#bridges.delete(bid);
      for (const [fid, f] of this.#forks) if (f.closed) this.#forks.delete(fid);
    });
    return { localAddress: port.localAddress, localPort: port.localPort };
  }

  #createRoom(id: string, sampleRate: 8000 | 16000 | undefined): undefined {
    this.#fresh(this.#rooms, id, 'room');
    const room = new ConferenceRoom({
      id,
      ...(sampleRate ? { sampleRate } : {}),
      ...(this.#o.clock ? { clock: this.#o.clock } : {}),
      ...(this.#o.log ? { log: this.#o.log } : {}),
    });
    this.#rooms.set(id, room);
    for (const event of ROOM_EVENTS) {
      room.on(event, (payload) => this.#post({
        kind: 'room', id, event, payload: event === 'recording.stopped' ? this.#withLimits(payload as FeedStopped) : payload,
      } as MediaEventMessage));
    }
    room.on('closed', () => this.#rooms.delete(id));
    return undefined;
  }

  async #play(
    sessionId: string, playbackId: string, spec: string, loop: number | undefined, queue: boolean | undefined, startMs: number | undefined,
  ): Promise<void> {
    const s = this.#session(sessionId);
    const key = `${sessionId}/${playbackId}`;
    this.#opening.add(key);
    let source: AudioSource;
    try {
      source = await this.#o.openSource(spec, s.sampleRate, startMs ? { startMs } : {});
    } catch (err) {
      this.#opening.delete(key);
      this.#post({ kind: 'session', id: sessionId, event: 'playback.stopped', payload: { id: playbackId, reason: 'error', error: errorMessage(err) } });
      throw err;
    }
    const wanted = this.#opening.delete(key);
    if (!wanted || s.closed) {
      source.close();
      this.#post({ kind: 'session', id: sessionId, event: 'playback.stopped', payload: { id: playbackId, reason: 'stopped' } });
      return;
    }
    s.play(source, { id: playbackId, ...(loop === undefined ? {} : { loop }), ...(queue ? { queue: true } : {}) });
  }

  /** Every session's statistics (a worker posts them periodically in one message). */
  statsAll(): [string, MediaSessionStats][] {
    const out: [string, MediaSessionStats][] = [];
    for (const [id, s] of this.#sessions) out.push([id, s.stats()]);
    return out;
  }

  #postStats(id: string, session: MediaSession): void {
    try {
      this.#post({ kind: 'stats', entries: [[id, session.stats()]] });
    } catch (err) {
      this.#o.log?.debug({ err: errorMessage(err) }, 'final media statistics unavailable');
    }
  }

  #portSource(reservedPort: number | undefined): PortSource {
    if (reservedPort === undefined) return this.#o.pool;
    const pair = this.#o.takeReserved?.(reservedPort);
    if (!pair) throw new MediaSessionError('MEDIA_SESSION_PORT', `port ${reservedPort} was not set aside for a session`);
    const pool = this.#o.pool;
    return { allocate: () => pair, release: (p, o) => pool.release(p, o) };
  }

  /** Wraps a sink with recording limits; reaching one stops the feed (after the tick that wrote the frame). */
  #limit(sink: AudioSink, feedId: string, limits: SinkLimits | undefined, stop: () => void): AudioSink {
    // Wrapped even without limits: the stop event then says how much was written.
    const limited = new LimitedSink(sink, limits ?? {}, () => queueMicrotask(stop));
    this.#feeds.set(feedId, { sink: limited });
    return limited;
  }

  #withLimits(payload: FeedStopped): FeedStopped {
    const feed = this.#feeds.get(payload.id);
    if (!feed) return payload;
    this.#feeds.delete(payload.id);
    const l = feed.sink;
    return { ...payload, ...(l.limit ? { limit: l.limit } : {}), durationMs: l.durationMs, samples: l.samples };
  }

  #attachSink(sink: AudioSink, attach: () => string): boolean {
    try {
      attach();
    } catch (err) {
      void sink.close();
      throw err;
    }
    return true;
  }

  #post(message: MediaEventMessage): void {
    try {
      this.#o.post(message);
    } catch (err) {
      this.#o.log?.warn({ err: errorMessage(err) }, 'media event post failed');
    }
  }

  #session(id: string): MediaSession {
    const s = this.#sessions.get(id);
    if (!s) throw new MediaSessionError('MEDIA_SESSION_NOT_FOUND', `no media session ${id}`);
    return s;
  }

  #room(id: string): ConferenceRoom {
    const r = this.#rooms.get(id);
    if (!r) throw new MediaSessionError('MEDIA_SESSION_NOT_FOUND', `no conference room ${id}`);
    return r;
  }

  #fresh(map: Map<string, unknown>, id: string, what: string): void {
    if (map.has(id)) throw new MediaSessionError('MEDIA_SESSION_ID', `${what} id ${id} is in use`);
  }
}
