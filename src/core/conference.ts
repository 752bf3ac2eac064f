/**
 * A conference: a named room of channels mixed together, as FreeSWITCH mod_conference and the jambonz
 * conference verb expose it. The switch creates it on the first join (with the room factory's media)
 * and destroys it when the last member leaves, or when a member flagged endConferenceOnExit leaves and
 * no other such member remains. Member controls: mute, deaf, hold, volume in/out, tag, kick, hup;
 * room controls: lock, mute all non-moderators, play to the room, record the room.
 * Events: conference.created / memberJoined / memberLeft / memberUpdated / destroyed, and
 * playback.* / record.* with the conference snapshot.
 */
import { errorMessage, uuid as newUuid, type Clock, type Logger, type TimerHandle } from '../lib/index.ts';
import type { ConferenceMedia, MediaPlayOptions, MediaRecordOptions, PlaySource, RecordSink } from './channel-media.ts';
import type { Channel } from './channel.ts';
import { ConferenceMember, type MemberOptions } from './conference-member.ts';
import { OK, fail, type CoreError, type OpResult } from './core-error.ts';
import type { ConferenceEndReason, ConferenceSnapshot, EventBus, MemberChange, MemberLeaveReason } from './event-bus.ts';
import type { HangupCause } from './hangup-cause.ts';
import { trackPlayback, trackRecording, type Playback, type Recording } from './media-tracking.ts';

export interface ConferenceOptions {
  /** Most members at once (jambonz maxParticipants); unlimited when absent. */
  maxParticipants?: number;
}

export interface ConferenceContext {
  bus: EventBus;
  log: Logger;
  now(): number;
  nextMemberId(): number;
  /** Timers of the end grace (MemberOptions.endGraceMs); without it the conference ends at once. */
  clock?: Clock;
  /** Called before conference.created is emitted (the switch registers it). */
  onCreated(conference: Conference): void;
  /** Called once when the conference has ended (the switch drops it from its registry). */
  onEnded(conference: Conference): void;
}

export type JoinResult = { ok: true; member: ConferenceMember } | { ok: false; error: CoreError };

export class Conference {
  readonly id = newUuid();
  readonly name: string;
  readonly createdAt: number;
  readonly maxParticipants: number | undefined;
  readonly #room: ConferenceMedia;
  readonly #ctx: ConferenceContext;
  readonly #log: Logger;
  readonly #members = new Map<number, ConferenceMember>();
  readonly #offHangup = new Map<number, () => void>();
  readonly #active = new Map<string, { stop(): void }>();
  #locked = false;
  #ended = false;
  #graceTimer: TimerHandle | undefined;

  constructor(name: string, room: ConferenceMedia, options: ConferenceOptions, ctx: ConferenceContext) {
    this.name = name;
    this.#room = room;
    this.#ctx = ctx;
    this.#log = ctx.log.child({ conference: name });
    this.createdAt = ctx.now();
    this.maxParticipants = options.maxParticipants;
    ctx.onCreated(this);
    ctx.bus.emit('conference.created', { conference: this.snapshot() });
  }

  get size(): number { return this.#members.size; }
  get locked(): boolean { return this.#locked; }
  get ended(): boolean { return this.#ended; }

  members(): ConferenceMember[] { return [...this.#members.values()]; }
  member(id: number): ConferenceMember | undefined { return this.#members.get(id); }

  memberByChannel(uuid: string): ConferenceMember | undefined {
    for (const m of this.#members.values()) if (m.channel.uuid === uuid) return m;
    return undefined;
  }

  snapshot(): ConferenceSnapshot {
    const s: ConferenceSnapshot = { id: this.id, name: this.name, createdAt: this.createdAt, size: this.#members.size, locked: this.#locked };
    if (this.maxParticipants !== undefined) s.maxParticipants = this.maxParticipants;
    return s;
  }

  /** Adds a channel (the switch has taken it out of any bridge or other conference). */
  add(channel: Channel, options: MemberOptions = {}): JoinResult {
    if (this.#ended) return fail('CORE_CONFERENCE_LOCKED', `conference ${this.name} has ended`);
    if (channel.ended) return fail('CORE_CHANNEL_GONE', `channel ${channel.uuid} hung up`);
    if (this.#locked) return fail('CORE_CONFERENCE_LOCKED', `conference ${this.name} is locked`);
    if (this.maxParticipants !== undefined && this.#members.size >= this.maxParticipants) {
      return fail('CORE_CONFERENCE_FULL', `conference ${this.name} is full (${this.maxParticipants})`);
    }
    const media = channel.media;
    if (!media) return fail('CORE_NO_MEDIA', `channel ${channel.uuid} has no media`);
    const member = new ConferenceMember(this.#ctx.nextMemberId(), channel, options, this.#ctx.now());
    try {
      member.attach(this.#room.join(media, { ...member.roomOptions, onTalk: (on) => this.#talk(member, on) }));
    } catch (err) {
      return fail('CORE_MEDIA_FAILED', `joining ${this.name} failed: ${errorMessage(err)}`, err);
    }
    this.#members.set(member.id, member);
    if (member.endConferenceOnExit) this.#cancelGrace();
    this.#refreshAudiences();
    this.#offHangup.set(member.id, channel.on('hangup', () => this.#leave(member, 'hangup')));
    channel.setConference(this.name);
    this.#ctx.bus.emit('conference.memberJoined', { conference: this.snapshot(), member: member.snapshot(), channel: channel.snapshot() });
    return { ok: true, member };
  }

  /** The member leaves (the channel stays up). */
  leave(memberId: number, reason: MemberLeaveReason = 'leave'): OpResult {
    const member = this.#members.get(memberId);
    if (!member) return this.#noMember(memberId);
    this.#leave(member, reason);
    return OK;
  }

  kick(memberId: number): OpResult {
    return this.leave(memberId, 'kick');
  }

  /** Hangs up the member's channel (FreeSWITCH `conference hup`); it leaves with reason hangup. */
  hup(memberId: number, cause: HangupCause = 'NORMAL_CLEARING'): OpResult {
    const member = this.#members.get(memberId);
    if (!member) return this.#noMember(memberId);
    void member.channel.hangup(cause);
    return OK;
  }

  setMute(memberId: number, on: boolean): OpResult { return this.#update(memberId, 'mute', (m) => m.setMute(on)); }
  setDeaf(memberId: number, on: boolean): OpResult { return this.#update(memberId, 'deaf', (m) => m.setDeaf(on)); }
  setHold(memberId: number, on: boolean): OpResult { return this.#update(memberId, 'hold', (m) => m.setHold(on)); }
  setVolumeIn(memberId: number, level: number): OpResult { return this.#update(memberId, 'volume', (m) => m.setVolumeIn(level)); }
  setVolumeOut(memberId: number, level: number): OpResult { return this.#update(memberId, 'volume', (m) => m.setVolumeOut(level)); }
  setTag(memberId: number, tag: string | undefined): OpResult {
    const r = this.#update(memberId, 'tag', (m) => m.setTag(tag));
    this.#refreshAudiences();
    return r;
  }

  /**
   * Coaching (jambonz speakOnlyTo, conf:participant-action coach / uncoach): only the members tagged
   * `tag` hear this one from now on (also those who join or get the tag later); undefined: everyone.
   */
  setSpeakOnlyTo(memberId: number, tag: string | undefined): OpResult {
    const member = this.#members.get(memberId);
    if (!member) return this.#noMember(memberId);
    member.setSpeakOnlyTo(tag);
    try {
      member.applyAudience(this.members());
    } catch (err) {
      return fail('CORE_MEDIA_FAILED', `coaching failed: ${errorMessage(err)}`, err);
    }
    return OK;
  }

  /** Mutes or unmutes everyone, moderators excepted unless asked (jambonz conf:mute-status). */
  muteAll(on: boolean, options: { includeModerators?: boolean } = {}): void {
    for (const m of this.members()) {
      if (m.moderator && !options.includeModerators) continue;
      this.#update(m.id, 'mute', (x) => x.setMute(on));
    }
  }

  lock(): void { this.#locked = true; }
  unlock(): void { this.#locked = false; }

  /** Plays to every member (FreeSWITCH `conference play`). */
  play(source: PlaySource, options: MediaPlayOptions = {}): Playback {
    const bus = this.#ctx.bus;
    return trackPlayback(source, () => this.#room.play(source, options), {
      log: this.#log,
      started: (id) => bus.emit('playback.started', { id, source, conference: this.snapshot() }),
      stopped: (id, outcome) => bus.emit('playback.stopped', { id, source, conference: this.snapshot(), outcome }),
      active: this.#active,
    });
  }

  /** Records the room's mix (FreeSWITCH `conference record`, jambonz conference record). */
  record(sink: RecordSink, options: MediaRecordOptions = {}): Recording {
    const bus = this.#ctx.bus;
    return trackRecording(sink, () => this.#room.record(sink, options), {
      log: this.#log,
      started: (id) => bus.emit('record.started', { id, sink, conference: this.snapshot() }),
      stopped: (id, outcome) => bus.emit('record.stopped', { id, sink, conference: this.snapshot(), outcome }),
      active: this.#active,
    });
  }

  /** Ends the conference: every member leaves (channels stay up), the room closes. Idempotent. */
  end(reason: ConferenceEndReason = 'ended'): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#cancelGrace();
    const memberReason: MemberLeaveReason = reason === 'shutdown' ? 'shutdown' : 'ended';
    for (const m of this.members()) this.#leave(m, memberReason);
    this.#destroy(reason);
  }

  #leave(member: ConferenceMember, reason: MemberLeaveReason): void {
    if (this.#members.get(member.id) !== member) return;
    this.#members.delete(member.id);
    this.#offHangup.get(member.id)?.();
    this.#offHangup.delete(member.id);
    try {
      member.detach();
    } catch (err) {
      this.#log.warn({ err, memberId: member.id }, 'leaving the room failed');
    }
    if (member.channel.conference === this.name) member.channel.setConference(undefined);
    this.#ctx.bus.emit('conference.memberLeft', {
      conference: this.snapshot(), member: member.snapshot(), channel: member.channel.snapshot(), reason,
    });
    if (this.#ended) return;
    const lastEnder = member.endConferenceOnExit && !this.members().some((m) => m.endConferenceOnExit);
    if (this.#members.size === 0) this.end(lastEnder ? 'ended' : 'empty');
    else if (lastEnder && member.endGraceMs > 0 && this.#ctx.clock) this.#startGrace(member.endGraceMs, this.#ctx.clock);
    else if (lastEnder) this.end('ended');
    else this.#refreshAudiences();
  }

  #startGrace(ms: number, clock: Clock): void {
    this.#cancelGrace();
    this.#log.info({ graceMs: ms }, 'the last endConferenceOnExit member left: the conference ends after the grace time');
    this.#graceTimer = clock.setTimeout(() => {
      this.#graceTimer = undefined;
      this.end('ended');
    }, ms);
    this.#refreshAudiences();
  }

  #cancelGrace(): void {
    this.#graceTimer?.cancel();
    this.#graceTimer = undefined;
  }

  /** Re-derives every coaching member's audience from the current members and tags. */
  #refreshAudiences(): void {
    const members = this.members();
    if (!members.some((m) => m.speakOnlyTo !== undefined)) return;
    for (const m of members) {
      try {
        m.applyAudience(members);
      } catch (err) {
        this.#log.warn({ err, memberId: m.id }, 'setting the coaching audience failed');
      }
    }
  }

  #destroy(reason: ConferenceEndReason): void {
    for (const op of [...this.#active.values()]) op.stop();
    try {
      this.#room.close();
    } catch (err) {
      this.#log.warn({ err }, 'closing the room failed');
    }
    this.#ctx.bus.emit('conference.destroyed', { conference: this.snapshot(), reason });
    this.#ctx.onEnded(this);
  }

  #talk(member: ConferenceMember, on: boolean): void {
    if (this.#members.get(member.id) === member) this.#update(member.id, 'talking', (m) => m.setTalking(on));
  }

  #update(memberId: number, change: MemberChange, apply: (m: ConferenceMember) => boolean): OpResult {
    const member = this.#members.get(memberId);
    if (!member) return this.#noMember(memberId);
    let changed: boolean;
    try {
      changed = apply(member);
    } catch (err) {
      return fail('CORE_MEDIA_FAILED', `${change} failed: ${errorMessage(err)}`, err);
    }
    if (changed) this.#ctx.bus.emit('conference.memberUpdated', { conference: this.snapshot(), member: member.snapshot(), change });
    return OK;
  }

  #noMember(memberId: number): OpResult {
    return fail('CORE_CONFERENCE_MEMBER', `conference ${this.name} has no member ${memberId}`);
  }
}
