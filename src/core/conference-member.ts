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
}

const clampLevel = (level: number): number => Math.max(-4, Math.min(4, Math.trunc(level)));

export class ConferenceMember {
  readonly id: number;
  readonly channel: Channel;
  readonly joinedAt: number;
  readonly moderator: boolean;
  readonly endConferenceOnExit: boolean;
  #mute: boolean;
  #deaf: boolean;
  #hold = false;
  #talking = false;
  #volumeIn: number;
  #volumeOut: number;
  #tag: string | undefined;
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
  }

  get mute(): boolean { return this.#mute; }
  get deaf(): boolean { return this.#deaf; }
  get hold(): boolean { return this.#hold; }
  get talking(): boolean { return this.#talking; }
  get volumeIn(): number { return this.#volumeIn; }
  get volumeOut(): number { return this.#volumeOut; }
  get tag(): string | undefined { return this.#tag; }

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
