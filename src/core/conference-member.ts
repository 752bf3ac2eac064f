/**
 * One channel's membership of a conference, with the member controls of FreeSWITCH mod_conference
 * (mute, deaf, volume_in / volume_out levels -4..4, moderator, endconf, talking) and jambonz's
 * conference verb (hold, memberTag, joinMuted, endConferenceOnExit). Hold is mute plus deaf in the
 * mixer without changing the member's own mute and deaf flags, so unhold restores them.
 */
import { volumeLevelToDb } from '../media/index.ts';
import type { RoomMembership } from './channel-media.ts';
import type { Channel } from './channel.ts';
import type { MemberSnapshot } from './event-bus.ts';

export interface MemberOptions {
  mute?: boolean;
  deaf?: boolean;
  /** Moderator (FreeSWITCH moderator flag; jambonz startConferenceOnEnter). */
  moderator?: boolean;
  /** When the last such member leaves, the conference ends for everyone. */
  endConferenceOnExit?: boolean;
  /** Volume levels -4..4 (0 = unity). */
  volumeIn?: number;
  volumeOut?: number;
  tag?: string;
  /** Coaching (jambonz speakOnlyTo): only members tagged so hear this one. */
  speakOnlyTo?: string;
  /**
   * With endConferenceOnExit: the conference ends this long after the last such member left, unless
   * another joins meanwhile (jambonz endConferenceDuration, FreeSWITCH endconference_grace_time).
   */
  endGraceMs?: number;
}

const clampLevel = (level: number): number => Math.max(-4, Math.min(4, Math.trunc(level)));

export class ConferenceMember {
  readonly id: number;
  readonly channel: Channel;
  readonly joinedAt: number;
  readonly moderator: boolean;
  readonly endConferenceOnExit: boolean;
  readonly endGraceMs: number;
  #mute: boolean;
  #deaf: boolean;
  #hold = false;
  #talking = false;
  #volumeIn: number;
  #volumeOut: number;
  #tag: string | undefined;
  #speakOnlyTo: string | undefined;
  /** The audience last given to the room (member ids joined by ','; undefined: everyone). */
  #audienceKey: string | undefined;
  #membership: RoomMembership | undefined;

  constructor(id: number, channel: Channel, options: MemberOptions, joinedAt: number) {
    this.id = id;
    this.channel = channel;
    this.joinedAt = joinedAt;
    this.#mute = options.mute ?? false;
    this.#deaf = options.deaf ?? false;
    this.moderator = options.moderator ?? false;
    this.endConferenceOnExit = options.endConferenceOnExit ?? false;
    this.#volumeIn = clampLevel(options.volumeIn ?? 0);
    this.#volumeOut = clampLevel(options.volumeOut ?? 0);
    this.#tag = options.tag;
    this.#speakOnlyTo = options.speakOnlyTo || undefined;
    this.endGraceMs = Math.max(0, options.endGraceMs ?? 0);
  }

  get mute(): boolean { return this.#mute; }
  get deaf(): boolean { return this.#deaf; }
  get hold(): boolean { return this.#hold; }
  get talking(): boolean { return this.#talking; }
  get volumeIn(): number { return this.#volumeIn; }
  get volumeOut(): number { return this.#volumeOut; }
  get tag(): string | undefined { return this.#tag; }
  get speakOnlyTo(): string | undefined { return this.#speakOnlyTo; }

  /** What the mixer is asked for when the member joins. */
  get roomOptions(): { mute: boolean; deaf: boolean; inputGainDb: number; outputGainDb: number } {
    return {
      mute: this.#mute || this.#hold,
      deaf: this.#deaf || this.#hold,
      inputGainDb: volumeLevelToDb(this.#volumeIn),
      outputGainDb: volumeLevelToDb(this.#volumeOut),
    };
  }

  attach(membership: RoomMembership): void {
    this.#membership = membership;
  }

  /** Each setter returns whether anything changed. */
  setMute(on: boolean): boolean {
    if (this.#mute === on) return false;
    this.#mute = on;
    this.#membership?.setMute(this.#mute || this.#hold);
    return true;
  }

  setDeaf(on: boolean): boolean {
    if (this.#deaf === on) return false;
    this.#deaf = on;
    this.#membership?.setDeaf(this.#deaf || this.#hold);
    return true;
  }

  setHold(on: boolean): boolean {
    if (this.#hold === on) return false;
    this.#hold = on;
    this.#membership?.setMute(this.#mute || on);
    this.#membership?.setDeaf(this.#deaf || on);
    return true;
  }

  setVolumeIn(level: number): boolean {
    const l = clampLevel(level);
    if (l === this.#volumeIn) return false;
    this.#volumeIn = l;
    this.#membership?.setInputGainDb(volumeLevelToDb(l));
    return true;
  }

  setVolumeOut(level: number): boolean {
    const l = clampLevel(level);
    if (l === this.#volumeOut) return false;
    this.#volumeOut = l;
    this.#membership?.setOutputGainDb(volumeLevelToDb(l));
    return true;
  }

  setTag(tag: string | undefined): boolean {
    if (tag === this.#tag) return false;
    this.#tag = tag;
    return true;
  }

  setSpeakOnlyTo(tag: string | undefined): boolean {
    const t = tag || undefined;
    if (t === this.#speakOnlyTo) return false;
    this.#speakOnlyTo = t;
    return true;
  }

  /**
   * Gives the room who hears this member: with speakOnlyTo, the others of `room` tagged so (possibly
   * nobody); without, everyone. Only changes reach the room; throws when the room cannot do it.
   */
  applyAudience(room: readonly ConferenceMember[]): void {
    const audience = this.#speakOnlyTo === undefined ? undefined : room.filter((m) => m !== this && m.#tag === this.#speakOnlyTo);
    const key = audience?.map((m) => m.id).join(',');
    if (key === this.#audienceKey || !this.#membership) return;
    if (!this.#membership.setAudience) throw new Error('this conference room cannot limit who hears a member');
    this.#audienceKey = key;
    this.#membership.setAudience(audience?.flatMap((m) => (m.#membership ? [m.#membership] : [])));
  }

  setTalking(on: boolean): boolean {
    if (on === this.#talking) return false;
    this.#talking = on;
    return true;
  }

  /** Takes the member's media out of the room; idempotent. */
  detach(): void {
    const m = this.#membership;
    this.#membership = undefined;
    m?.leave();
  }

  snapshot(): MemberSnapshot {
    const s: MemberSnapshot = {
      id: this.id, uuid: this.channel.uuid, joinedAt: this.joinedAt, mute: this.#mute, deaf: this.#deaf,
      hold: this.#hold, talking: this.#talking, moderator: this.moderator, endConferenceOnExit: this.endConferenceOnExit,
      volumeIn: this.#volumeIn, volumeOut: this.#volumeOut,
    };
    if (this.#tag !== undefined) s.tag = this.#tag;
    return s;
  }
}
