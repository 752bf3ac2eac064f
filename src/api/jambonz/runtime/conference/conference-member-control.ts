/**
 * Control of a call's own conference membership, shared by the conference commands (specs/jambonz.md
 * §1.6 `conf:mute-status`, `conf:hold-status`, `conf:participant-action`) and the REST updates (§2.6
 * `conf_mute_status`, `conf_hold_status`, `conferenceParticipantAction`). A call that is not in a
 * conference (it never joined, or it left) is a RuntimeError with JAMBONZ_CALL_STATE, never a crash.
 * `kick` (leave the conference, the call goes on with its next verb) is an extension of the original.
 * `coach` `{tag}` makes the call's member heard only by the members tagged so (speakOnlyTo, kept up to
 * date as members join, leave and change tags); `uncoach` makes it heard by everyone again.
 */
import type { Channel, Conference, ConferenceMember, OpResult, Switch } from '../../../../core/index.ts';
import { RuntimeError } from '../runtime-error.ts';

export const PARTICIPANT_ACTIONS = ['tag', 'untag', 'coach', 'uncoach', 'mute', 'unmute', 'hold', 'unhold', 'kick'] as const;
export type ParticipantAction = (typeof PARTICIPANT_ACTIONS)[number];

export function membershipOf(sw: Switch, channel: Channel): { conference: Conference; member: ConferenceMember } {
  const name = channel.conference;
  const conference = name === undefined ? undefined : sw.conference(name);
  const member = conference?.memberByChannel(channel.uuid);
  if (!conference || !member) throw new RuntimeError('JAMBONZ_CALL_STATE', 'the call is not in a conference');
  return { conference, member };
}

function check(r: OpResult): void {
  if (!r.ok) throw new RuntimeError('JAMBONZ_CALL_STATE', r.error.message);
}

/** Mutes or unmutes every member except the moderators (conf:mute-status). */
export function muteConference(sw: Switch, channel: Channel, status: unknown): void {
  if (status !== 'mute' && status !== 'unmute') throw new RuntimeError('JAMBONZ_COMMAND_INVALID', 'conf_mute_status must be mute or unmute');
  membershipOf(sw, channel).conference.muteAll(status === 'mute');
}

/** Holds or unholds the call's member (conf:hold-status). */
export function holdMember(sw: Switch, channel: Channel, status: unknown): void {
  if (status !== 'hold' && status !== 'unhold') throw new RuntimeError('JAMBONZ_COMMAND_INVALID', 'conf_hold_status must be hold or unhold');
  const { conference, member } = membershipOf(sw, channel);
  check(conference.setHold(member.id, status === 'hold'));
}

export function participantAction(sw: Switch, channel: Channel, action: unknown, tag: unknown): void {
  if (typeof action !== 'string' || !(PARTICIPANT_ACTIONS as readonly string[]).includes(action)) {
    throw new RuntimeError('JAMBONZ_COMMAND_INVALID', `action must be one of ${PARTICIPANT_ACTIONS.join(', ')}`);
  }
  const { conference, member } = membershipOf(sw, channel);
  switch (action as ParticipantAction) {
    case 'tag':
      if (typeof tag !== 'string' || tag === '') throw new RuntimeError('JAMBONZ_COMMAND_INVALID', 'tag needs a tag');
      return check(conference.setTag(member.id, tag));
    case 'untag': return check(conference.setTag(member.id, undefined));
    case 'mute': return check(conference.setMute(member.id, true));
    case 'unmute': return check(conference.setMute(member.id, false));
    case 'hold': return check(conference.setHold(member.id, true));
    case 'unhold': return check(conference.setHold(member.id, false));
    case 'kick': return check(conference.kick(member.id));
    case 'coach':
      if (typeof tag !== 'string' || tag === '') throw new RuntimeError('JAMBONZ_COMMAND_INVALID', 'coach needs a tag (the members who hear the call)');
      return check(conference.setSpeakOnlyTo(member.id, tag));
    case 'uncoach': return check(conference.setSpeakOnlyTo(member.id, undefined));
  }
}
