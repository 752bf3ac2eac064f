/**
 * A conference room: a Mixer at one rate (8 or 16 kHz) that the room mixes once per tick in the mix
 * phase, between its members' receive and send phases (tick-scheduler.ts). Members are sessions joined
 * through MixerLink (minus-one: nobody hears themselves). The room can play a source into everyone's
 * ear (announcements, entry beeps) and record the whole room; member controls follow conference APIs
 * (FreeSWITCH mod_conference mute, deaf, volume in/out, talk events; jambonz conference verbs).
 */
import { TypedEmitter, errorMessage, randomToken, type Logger } from '../../lib/index.ts';
import { threadMediaClock, type MediaClock } from '../media-clock.ts';
import { Mixer, type MixerMember, type TalkDetectionOptions } from '../mixer.ts';
import type { AudioSink } from '../sinks/index.ts';
import type { AudioSource } from '../sources/index.ts';
import { FeedSet } from './feed-set.ts';
import type { MediaSession } from './media-session.ts';
import { MixerLink, registerMixerDriver, type JoinMixerOptions } from './mixer-link.ts';
import { Player, type PlayOptions, type PlaybackStopReason } from './player.ts';
import { MediaSessionError } from './session-error.ts';
import type { TickMixer } from './tick-scheduler.ts';
import type { FeedStopped } from './session-events.ts';

export interface ConferenceRoomOptions {
  id?: string;
  /** Mixing rate (default 8000; 16000 for a wideband room). */
  sampleRate?: 8000 | 16000;
  /** The media clock of the members' thread (default threadMediaClock()). */
  clock?: MediaClock;
  talk?: TalkDetectionOptions;
  log?: Logger;
}

export type ConferenceRoomEvents = {
  'member.joined': { memberId: string; sessionId: string };
  'member.left': { memberId: string; sessionId: string };
  talk: { memberId: string; state: 'talking' | 'stopped' };
  'playback.started': { id: string };
  'playback.stopped': { id: string; reason: PlaybackStopReason; error?: string };
  'recording.stopped': FeedStopped;
  closed: { reason: string };
};

/** Hidden members: the room's playback and its recording ear. Member ids may not start with '#'. */
const PLAY_ID = '#play';
const EAR_ID = '#room';

export class ConferenceRoom implements TickMixer {
  readonly id: string;
  readonly mixer: Mixer;
  readonly clock: MediaClock;
  readonly #events: TypedEmitter<ConferenceRoomEvents>;
  readonly #links = new Map<string, MixerLink>();
  readonly #player: Player;
  readonly #feeds: FeedSet;
  readonly #playMember: MixerMember;
  readonly #ear: MixerMember;
  readonly #unregister: () => void;
  readonly #log: Logger | undefined;
  #closed = false;
  #errorReported = false;

  constructor(options: ConferenceRoomOptions = {}) {
    this.id = options.id ?? `room-${randomToken(8)}`;
    this.clock = options.clock ?? threadMediaClock();
    this.#log = options.log;
    this.#events = new TypedEmitter<ConferenceRoomEvents>((err, event) =>
      this.#log?.warn({ err: errorMessage(err), event, roomId: this.id }, 'conference listener threw'),
    );
    const rate = options.sampleRate ?? 8000;
    if (rate !== 8000 && rate !== 16000) throw new MediaSessionError('MEDIA_SESSION_CONFIG', `conference rate ${String(rate)} is not 8000 or 16000`);
    this.mixer = new Mixer({
      sampleRate: rate,
      frameMs: this.clock.periodMs,
      ...(options.talk ? { talk: options.talk } : {}),
      onTalk: (m, talking) => {
        if (!m.id.startsWith('#')) this.#events.emit('talk', { memberId: m.id, state: talking ? 'talking' : 'stopped' });
      },
    });
    this.#playMember = this.mixer.add(PLAY_ID, { deaf: true });
    this.#ear = this.mixer.add(EAR_ID);
    const frame = this.mixer.frameSamples;
    this.#player = new Player(rate, frame, {
      onStarted: (id) => this.#events.emit('playback.started', { id }),
      onStopped: (id, reason, error) => this.#events.emit('playback.stopped', error === undefined ? { id, reason } : { id, reason, error }),
    });
    this.#feeds = new FeedSet(rate, frame, (feed, reason, error) =>
      this.#events.emit('recording.stopped', error === undefined ? { id: feed.id, reason } : { id: feed.id, reason, error }),
    );
    this.#unregister = registerMixerDriver(this.mixer, this.clock, this);
  }

  on<K extends keyof ConferenceRoomEvents>(event: K, listener: (payload: ConferenceRoomEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  off<K extends keyof ConferenceRoomEvents>(event: K, listener: (payload: ConferenceRoomEvents[K]) => void): void {
    this.#events.off(event, listener);
  }

  get closed(): boolean {
    return this.#closed;
  }

  get size(): number {
    return this.#links.size;
  }

  memberIds(): string[] {
    return [...this.#links.keys()];
  }

  /** Adds a session; returns its member id (the session id unless given). */
  join(session: MediaSession, options: JoinMixerOptions = {}): string {
    this.#assertOpen();
    const memberId = options.memberId ?? session.id;
    if (memberId.startsWith('#')) throw new MediaSessionError('MEDIA_SESSION_ID', `member id ${memberId} may not start with '#'`);
    if (this.#links.has(memberId)) throw new MediaSessionError('MEDIA_SESSION_ID', `member ${memberId} is already in room ${this.id}`);
    const link = new MixerLink(session, this.mixer, { ...options, memberId }, (l) => this.#onLeft(memberId, l));
    this.#links.set(memberId, link);
    this.#events.emit('member.joined', { memberId, sessionId: session.id });
    return memberId;
  }

  /** Removes a member (its session continues standalone); false when unknown. */
  leave(memberId: string): boolean {
    const link = this.#links.get(memberId);
    if (!link) return false;
    link.close();
    return true;
  }

  setMute(memberId: string, mute: boolean): void {
    this.#member(memberId).mute = mute;
  }

  setDeaf(memberId: string, deaf: boolean): void {
    this.#member(memberId).deaf = deaf;
  }

  /** Input (what the member says) and output (what it hears) gains in dB. */
  setGains(memberId: string, gains: { inputDb?: number; outputDb?: number }): void {
    const m = this.#member(memberId);
    if (gains.inputDb !== undefined) m.inputGainDb = gains.inputDb;
    if (gains.outputDb !== undefined) m.outputGainDb = gains.outputDb;
  }

  /** Only `listenerIds` hear this member (whisper, coaching); an empty list or undefined: everyone. */
  setListeners(memberId: string, listenerIds: readonly string[] | undefined): void {
    const m = this.#member(memberId);
    m.listeners = listenerIds && listenerIds.length > 0 ? new Set(listenerIds.map((id) => this.#member(id))) : undefined;
  }

  /**
   * Coaching (jambonz speakOnlyTo): only `audienceIds` hear this member; an empty list means nobody
   * does, undefined means everyone again. Unknown ids are skipped (a member that just left). The room's
   * recordings still hold the member (as a FreeSWITCH conference recording holds every speaker).
   */
  setAudience(memberId: string, audienceIds: readonly string[] | undefined): void {
    const m = this.#member(memberId);
    if (audienceIds === undefined) {
      m.listeners = undefined;
      return;
    }
    const audience = new Set<MixerMember>([this.#ear]);
    for (const id of audienceIds) {
      const member = this.#links.get(id)?.member;
      if (member && member !== m) audience.add(member);
    }
    m.listeners = audience;
  }

  memberState(memberId: string): { mute: boolean; deaf: boolean; talking: boolean; level: number; inputGainDb: number; outputGainDb: number } {
    const m = this.#member(memberId);
    return { mute: m.mute, deaf: m.deaf, talking: m.talking, level: Math.round(m.level), inputGainDb: m.inputGainDb, outputGainDb: m.outputGainDb };
  }

  /** Plays a source into everyone's ear; returns the playback id. */
  play(source: AudioSource, options?: PlayOptions): string {
    this.#assertOpen();
    return this.#player.play(source, options);
  }

  stopPlayback(id?: string): boolean {
    if (id !== undefined) return this.#player.stopOne(id);
    const active = this.#player.active;
    this.#player.stop();
    return active;
  }

  /** Records the room (everyone mixed, the room's playback included); returns the recording id. */
  record(sink: AudioSink, options: { id?: string } = {}): string {
    this.#assertOpen();
    return this.#feeds.add('recording', sink, 'received', options.id);
  }

  stopRecording(id: string): boolean {
    return this.#feeds.remove('recording', id);
  }

  /** Removes every member, stops playback and recordings. Idempotent. */
  close(reason = 'closed'): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const link of [...this.#links.values()]) link.close();
    this.#player.close();
    this.#feeds.closeAll('closed');
    this.#unregister();
    this.mixer.close();
    this.#events.emit('closed', { reason });
  }

  /** @internal The mix phase: the playback into its member, one mix, the room into the recorders. */
  mixPhase(): void {
    if (this.#closed) return;
    const play = this.#playMember;
    if (this.#player.active && this.#player.fill(play.input)) play.hasInput = true;
    this.mixer.mix();
    if (this.#feeds.size > 0) {
      const out = this.#ear.output;
      this.#feeds.write(out, out);
    }
  }

  /** @internal */
  onTickError(err: unknown): void {
    if (this.#errorReported) return;
    this.#errorReported = true;
    this.#log?.warn({ roomId: this.id, err: errorMessage(err) }, 'conference tick failed');
  }

  #onLeft(memberId: string, link: MixerLink): void {
    if (this.#links.get(memberId) !== link) return;
    this.#links.delete(memberId);
    this.#events.emit('member.left', { memberId, sessionId: link.session.id });
  }

  #member(memberId: string): MixerMember {
    const link = this.#links.get(memberId);
    if (!link) throw new MediaSessionError('MEDIA_SESSION_NOT_FOUND', `no member ${memberId} in room ${this.id}`);
    return link.member;
  }

  #assertOpen(): void {
    if (this.#closed) throw new MediaSessionError('MEDIA_SESSION_CLOSED', `conference room ${this.id} is closed`);
  }
}
