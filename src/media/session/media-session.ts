/**
 * The media engine of one call leg. RTP in and out (RFC 3550) through an RtpTransportPort, configured
 * from negotiated data (RFC 3264: codec, payload types, ptime, our direction, the remote), driven by the
 * thread's media clock through the tick scheduler:
 *
 * - packet path (per received packet, no allocation): audio is relayed when a link says so (echo, a
 *   relay bridge), queued in the jitter buffer when something needs it decoded; RFC 4733 events go to
 *   the DTMF receiver (and to the bridged leg).
 * - receive phase (per tick): pull and decode one tick when needed; in-band DTMF and talk detection.
 * - send phase (per tick): the outgoing tick is, by priority, a DTMF digit (RFC 4733 events, or tones
 *   when no telephone-event is negotiated), the playback, the link's audio (bridge peer, conference
 *   mix), or silence (sent to keep NAT bindings open, or not: `silence`), with overlay tracks (jambonz
 *   dub) mixed on top. Then recorders and taps get what the party said and heard (silence while muted:
 *   `setMuted`).
 *
 * Direction (RFC 3264 section 6.1, ours): without 'send' nothing goes out and the timestamp keeps
 * advancing; without 'recv' received media is ignored. Commands are synchronous and plain data apart
 * from sources and sinks; results come back as events (session-events.ts).
 */
import { TypedEmitter, errorMessage, randomToken, systemClock, type Clock, type Logger } from '../../lib/index.ts';
import type { Codec } from '../codecs/index.ts';
import { threadMediaClock, type MediaClock } from '../media-clock.ts';
import type { RtpPacketView } from '../rtp/index.ts';
import type { AudioSink } from '../sinks/index.ts';
import type { AudioSource } from '../sources/index.ts';
import type { DtmfSignal, DtmfSource } from './dtmf-inbound.ts';
import type { DtmfSendOptions } from './dtmf-sender.ts';
import { ECHO } from './echo-link.ts';
import { FeedSet } from './feed-set.ts';
import type { OverlayMix } from './overlay-mix.ts';
import type { PlayOptions } from './player.ts';
import type { RtpTransportPort } from './rtp-transport.ts';
import type { MediaSessionOptions, RecordOptions } from './session-options.ts';
import { createSessionCodec, resolveConfig, type MediaSessionConfig, type ResolvedConfig } from './session-config.ts';
import { MediaSessionError } from './session-error.ts';
import type { MediaSessionEvents, MediaSessionStats } from './session-events.ts';
import { SessionInput } from './session-input.ts';
import type { SessionLink, SessionMode } from './session-link.ts';
import { SessionOutput } from './session-output.ts';
import { TickScheduler, type TickSession } from './tick-scheduler.ts';

export class MediaSession implements TickSession {
  readonly id: string;
  readonly port: RtpTransportPort;
  readonly clock: MediaClock;
  readonly tickMs: number;
  readonly #events: TypedEmitter<MediaSessionEvents>;
  readonly #scheduler: TickScheduler;
  readonly #time: Clock;
  readonly #log: Logger | undefined;
  #inbandMode: 'auto' | 'on' | 'off';
  #cfg: ResolvedConfig;
  #codec: Codec;
  readonly #in: SessionInput;
  readonly #out: SessionOutput;
  readonly #feeds: FeedSet;
  #link: SessionLink | undefined;
  #closed = false;
  #reported = new Set<string>();
  #dtmfIn = 0;

  /** Takes ownership of `options.port` once constructed (if the constructor throws, the port stays the caller's). */
  constructor(options: MediaSessionOptions) {
    this.id = options.id ?? `ms-${randomToken(10)}`;
    this.port = options.port;
    this.clock = options.clock ?? threadMediaClock();
    this.tickMs = this.clock.periodMs;
    this.#time = options.time ?? systemClock;
    this.#log = options.log;
    this.#inbandMode = options.inbandDtmf ?? 'auto';
    this.#events = new TypedEmitter<MediaSessionEvents>((err, event) => {
      this.#log?.warn({ err: errorMessage(err), event, sessionId: this.id }, 'media session listener threw');
    });
    if (this.port.closed) throw new MediaSessionError('MEDIA_SESSION_CLOSED', 'the RTP port is closed');
    this.#cfg = resolveConfig(options.config);
    this.#codec = createSessionCodec(this.#cfg);
    let samples: number;
    try {
      samples = this.#tickSamples(this.#codec);
    } catch (err) {
      this.#codec.close();
      throw err;
    }
    const talk = options.talkDetection;
    this.#in = new SessionInput(
      this.#codec,
      samples,
      this.tickMs,
      options.jitterBuffer ?? {},
      (digit, durationMs, source) => this.#onDigit(digit, durationMs, source),
      this.#cfg.teClockRate,
      talk
        ? {
            options: talk === true ? {} : talk,
            onChange: (talking, level) => this.#events.emit('talk', { state: talking ? 'talking' : 'stopped', level: Math.round(level) }),
          }
        : undefined,
    );
    this.#in.dtmf.configure(this.#cfg.teClockRate, this.#inbandRate());
    this.#out = new SessionOutput(this.port, this.#codec, this.#cfg, samples, this.tickMs, {
      silence: (options.silence ?? 'send') === 'send',
      relayIdleMs: options.relayIdleMs ?? 100,
      player: {
        onStarted: (id) => this.#events.emit('playback.started', { id }),
        onStopped: (id, reason, error) => this.#events.emit('playback.stopped', error === undefined ? { id, reason } : { id, reason, error }),
      },
      onDtmfSent: (digits) => this.#events.emit('dtmf.sent', { digits }),
    });
    this.#feeds = new FeedSet(this.#codec.sampleRate, samples, (feed, reason, error) => {
      const payload = error === undefined ? { id: feed.id, reason } : { id: feed.id, reason, error };
      this.#events.emit(feed.kind === 'recording' ? 'recording.stopped' : 'tap.stopped', payload);
    });
    this.#scheduler = TickScheduler.of(this.clock);
    this.port.setHandler(this.#onPacket);
    if (this.#cfg.source.remote) this.port.setRemote(this.#cfg.source.remote);
    this.#scheduler.addSession(this);
  }

  // ---- events ----

  on<K extends keyof MediaSessionEvents>(event: K, listener: (payload: MediaSessionEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  once<K extends keyof MediaSessionEvents>(event: K, listener: (payload: MediaSessionEvents[K]) => void): () => void {
    return this.#events.once(event, listener);
  }

  off<K extends keyof MediaSessionEvents>(event: K, listener: (payload: MediaSessionEvents[K]) => void): void {
    this.#events.off(event, listener);
  }

  // ---- state ----

  get closed(): boolean {
    return this.#closed;
  }

  get config(): MediaSessionConfig {
    return this.#cfg.source;
  }

  get mode(): SessionMode {
    return this.#link?.mode ?? 'standalone';
  }

  /** PCM rate of the session's audio (the codec's). */
  get sampleRate(): number {
    return this.#codec.sampleRate;
  }

  get echoing(): boolean {
    return this.#link?.mode === 'echo';
  }

  /** @internal This tick's received audio (zeros when rxAudio is false), from the receive phase on. */
  get rxFrame(): Int16Array {
    return this.#in.rxFrame;
  }

  /** @internal */
  get rxAudio(): boolean {
    return this.#in.rxAudio;
  }

  /** @internal The resolved configuration. */
  get resolved(): ResolvedConfig {
    return this.#cfg;
  }

  /** @internal True when recorders or taps want this session's audio, or overlay tracks or an output gain change what it hears. */
  get hasFeeds(): boolean {
    return this.#feeds.size > 0 || this.#out.overlay.active || this.#out.boosted;
  }

  /** True while what the party says is muted (setMuted). */
  get muted(): boolean {
    return this.#in.muted;
  }

  /**
   * Overlay tracks (jambonz dub): extra audio mixed into what the party hears over everything else;
   * their playbacks report as 'playback.*' events. Closed with the session.
   */
  get overlay(): OverlayMix {
    return this.#out.overlay;
  }

  // ---- commands ----

  /** Applies a new negotiation (re-INVITE): codec, payload types, ptime, direction, remote. */
  configure(config: MediaSessionConfig): void {
    this.#assertOpen();
    const next = resolveConfig(config);
    const prev = this.#cfg;
    let codec: Codec | undefined;
    let samples = this.#in.rxFrame.length;
    if (next.codecKey !== prev.codecKey) {
      codec = createSessionCodec(next);
      try {
        samples = this.#tickSamples(codec);
      } catch (err) {
        codec.close();
        throw err;
      }
      this.#codec.close();
      this.#codec = codec;
      this.#in.setCodec(codec, samples);
      this.#feeds.setFormat(codec.sampleRate, samples);
    }
    this.#cfg = next;
    this.#out.configure(next, codec, samples, this.#time.now());
    this.#in.dtmf.configure(next.teClockRate, this.#inbandRate());
    if (next.clockRate !== prev.clockRate) this.port.setClockRate?.(next.clockRate);
    if (!sameRemote(prev.source.remote, next.source.remote)) this.port.setRemote(next.source.remote);
    const link = this.#link;
    if (link) {
      try {
        link.reconfigured(this);
      } catch (err) {
        link.detach(this);
        this.#report('MEDIA_SESSION_CONFIG', `link dropped after reconfiguration: ${errorMessage(err)}`);
      }
    }
  }

  /** Plays a source to the party (replacing the current playback unless `queue`); returns the playback id. */
  play(source: AudioSource, options?: PlayOptions): string {
    this.#assertOpen();
    return this.#out.player.play(source, options);
  }

  /** Stops one playback, or all (current and queued) without an id; false when nothing matched. */
  stopPlayback(id?: string): boolean {
    const player = this.#out.player;
    if (id !== undefined) return player.stopOne(id);
    const active = player.active;
    player.stop();
    return active;
  }

  /** Records the call into `sink`; returns the recording id. */
  record(sink: AudioSink, options: RecordOptions = {}): string {
    this.#assertOpen();
    return this.#feeds.add('recording', sink, options.mode === 'mono' ? 'mixed' : 'stereo', options.id);
  }

  stopRecording(id: string): boolean {
    return this.#feeds.remove('recording', id);
  }

  /**
   * Feeds what the party says ('received') or hears ('sent') into `sink` as channel 0 (channel 1
   * silent), or 'both' as channels 0 and 1 (the sink mixes or interleaves them); returns the tap id.
   */
  addTap(sink: AudioSink, mode: 'received' | 'sent' | 'both', options: { id?: string } = {}): string {
    this.#assertOpen();
    return this.#feeds.add('tap', sink, mode === 'both' ? 'stereo' : mode, options.id);
  }

  removeTap(id: string): boolean {
    return this.#feeds.remove('tap', id);
  }

  /**
   * Mutes (or unmutes) what the party says: the bridged leg, a conference, recorders and taps get
   * silence instead (relayed packets stop; the bridged leg fills in its own silence). Digits still pass.
   */
  setMuted(on: boolean): void {
    this.#assertOpen();
    this.#in.muted = on;
  }

  /**
   * Sets the gain of everything the party hears but digits (the bridged leg, a conference, prompts), in
   * dB: 0 removes it (jambonz boostAudioSignal; output-gain.ts). Throws MEDIA_SESSION_CONFIG out of
   * -60..+30 dB. Overlay tracks keep their own gain.
   */
  setOutputGain(db: number): void {
    this.#assertOpen();
    this.#out.setGainDb(db);
  }

  /**
   * In-band (Goertzel) DTMF detection at run time (FreeSWITCH start_dtmf / stop_dtmf): `on` detects
   * tones in the decoded audio, `off` does not, `auto` detects only when telephone-event was not
   * negotiated (the default). A digit being detected when it goes off is dropped.
   */
  setInbandDtmf(mode: 'auto' | 'on' | 'off'): void {
    this.#assertOpen();
    this.#inbandMode = mode;
    this.#in.dtmf.configure(this.#cfg.teClockRate, this.#inbandRate());
  }

  /** Whether in-band DTMF detection runs now. */
  get inbandDtmf(): boolean {
    return this.#in.dtmf.inband;
  }

  /** Sends digits (0-9 * # A-D; w = 500 ms pause, W = 1 s) as RFC 4733 events, or tones without telephone-event. */
  sendDtmf(digits: string, options?: DtmfSendOptions): void {
    this.#assertOpen();
    this.#out.dtmf.enqueue(digits, options);
  }

  /** A digit the signalling received (SIP INFO): reported as a 'dtmf' event with source 'info'. */
  injectDtmf(digit: string, durationMs = 100): void {
    this.#assertOpen();
    const d = digit.length === 1 ? digit.toUpperCase() : digit.toLowerCase();
    if (d !== 'flash' && !/^[0-9*#A-D]$/.test(d)) throw new MediaSessionError('MEDIA_SESSION_DTMF', `"${digit}" is not a DTMF digit`);
    this.#in.dtmf.inject(d as DtmfSignal, durationMs);
  }

  /** Echo: every received packet goes back (rewritten into this stream); off returns to standalone. */
  echo(on: boolean): void {
    this.#assertOpen();
    if (!on) {
      if (this.#link === ECHO) this.detachLink(ECHO);
      return;
    }
    if (this.#link !== ECHO) this.attachLink(ECHO);
  }

  stats(): MediaSessionStats {
    const t = this.port.stats();
    const cfg = this.#cfg;
    const o = this.#out.outbound;
    const r = this.#in.path;
    return {
      id: this.id,
      mode: this.mode,
      codec: this.#codec.name,
      payloadType: cfg.sendPt,
      clockRate: cfg.clockRate,
      ptime: cfg.ptime,
      direction: cfg.source.direction,
      localPort: t.localPort,
      remoteAddress: t.remoteAddress,
      remotePort: t.remotePort,
      packetsIn: t.packetsIn,
      bytesIn: t.bytesIn,
      packetsOut: t.packetsOut,
      bytesOut: t.bytesOut,
      packetsLost: t.packetsLost,
      jitterMs: t.jitterMs,
      rttMs: t.rttMs,
      audioPacketsIn: this.#in.audioIn,
      eventPacketsIn: this.#in.eventsIn,
      otherPacketsIn: this.#in.otherIn,
      ignoredPacketsIn: this.#in.ignoredIn,
      localPacketsOut: o.localPackets,
      relayedPacketsOut: o.relayedPackets,
      eventPacketsOut: o.eventPackets,
      decodedFrames: r.decodedFrames,
      concealedFrames: r.concealedFrames,
      jitterBufferDelayMs: r.jitter.delayMs,
      jitterBufferLate: r.jitter.late,
      dtmfIn: this.#dtmfIn,
      dtmfOut: this.#out.dtmf.sent,
    };
  }

  /** Ends everything the session owns: link, playback, recorders, taps, the port. Idempotent. */
  close(reason = 'closed'): void {
    if (this.#closed) return;
    this.#link?.detach(this);
    this.#link = undefined;
    this.#closed = true;
    this.#scheduler.removeSession(this);
    this.#out.close();
    this.#feeds.closeAll('closed');
    this.port.setHandler(undefined);
    this.port.close();
    this.#codec.close();
    this.#events.emit('closed', { reason });
  }

  // ---- links (internal) ----

  /** @internal Ties the session to a link; throws MEDIA_SESSION_BUSY when it has one. */
  attachLink(link: SessionLink): void {
    this.#assertOpen();
    if (this.#link) throw new MediaSessionError('MEDIA_SESSION_BUSY', `session ${this.id} is already in ${this.#link.mode}`);
    this.#link = link;
    this.#out.linkChanged();
  }

  /** @internal */
  detachLink(link: SessionLink): void {
    if (this.#link === link) this.#link = undefined;
  }

  /** @internal Relays a packet of the linked leg into this session's stream; false when dropped. */
  relayIn(v: RtpPacketView, audio: boolean, nowMs: number): boolean {
    return !this.#closed && this.#out.relayIn(v, audio, nowMs);
  }

  // ---- tick ----

  /** @internal */
  receivePhase(nowMs: number): void {
    if (this.#closed) return;
    const link = this.#link;
    this.#in.tick(nowMs, this.#feeds.size > 0 || this.#in.wantsAudio || (link !== undefined && link.needsDecode(this)));
    link?.afterReceive(this, this.#in.rxFrame, this.#in.rxAudio);
  }

  /** @internal */
  sendPhase(nowMs: number): void {
    if (this.#closed) return;
    this.#out.tick(nowMs, this.#link, this);
    if (this.#feeds.size > 0) this.#feeds.write(this.#in.rxFrame, this.#out.txFrame);
  }

  /** @internal */
  onTickError(err: unknown): void {
    const code = (err as { code?: unknown } | null)?.code;
    this.#report(typeof code === 'string' ? code : 'MEDIA_SESSION_TICK', errorMessage(err));
  }

  // ---- private ----

  readonly #onPacket = (v: RtpPacketView): void => {
    if (this.#closed) return;
    const cfg = this.#cfg;
    const input = this.#in;
    if (!cfg.receive) {
      input.ignoredIn++;
      return;
    }
    const pt = v.payloadType;
    if (pt === cfg.receivePt) {
      const now = this.#time.now();
      if (!input.muted) this.#link?.onAudioPacket(this, v, now);
      input.audio(v, now);
    } else if (pt === cfg.teReceivePt) {
      const now = this.#time.now();
      this.#link?.onEventPacket(this, v, now);
      input.event(v, now);
    } else {
      input.otherIn++;
    }
  };

  #onDigit(digit: DtmfSignal, durationMs: number, source: DtmfSource): void {
    this.#dtmfIn++;
    this.#events.emit('dtmf', { digit, durationMs, source });
    try {
      this.#link?.onDigit(this, digit, durationMs, source);
    } catch (err) {
      this.#report('MEDIA_SESSION_DTMF', errorMessage(err));
    }
  }

  #inbandRate(): number | undefined {
    const on = this.#inbandMode === 'on' || (this.#inbandMode === 'auto' && this.#cfg.teReceivePt < 0);
    return on ? this.#codec.sampleRate : undefined;
  }

  #tickSamples(codec: Codec): number {
    const n = (codec.sampleRate * this.tickMs) / 1000;
    if (!Number.isInteger(n)) {
      throw new MediaSessionError('MEDIA_SESSION_CONFIG', `${codec.sampleRate} Hz does not fit whole samples in a ${this.tickMs} ms tick`);
    }
    return n;
  }

  #assertOpen(): void {
    if (this.#closed) throw new MediaSessionError('MEDIA_SESSION_CLOSED', `media session ${this.id} is closed`);
  }

  /** Reports a failure once per code (an 'error' event and a log line). */
  #report(code: string, message: string): void {
    if (this.#reported.has(code)) return;
    this.#reported.add(code);
    this.#log?.warn({ sessionId: this.id, code, err: message }, 'media session error');
    this.#events.emit('error', { code, message });
  }
}

function sameRemote(a: MediaSessionConfig['remote'], b: MediaSessionConfig['remote']): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.address === b.address && a.port === b.port && a.rtcpPort === b.rtcpPort;
}
