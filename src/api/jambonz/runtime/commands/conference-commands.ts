/**
 * Conference commands (specs/jambonz.md §1.6): `conf:mute-status` `{conf_mute_status}` mutes or
 * unmutes every member but the moderators of the call's conference, `conf:hold-status`
 * `{conf_hold_status}` holds the call's member, `conf:participant-action` `{action, tag}` acts on it
 * (tag, untag, mute, unmute, hold, unhold, kick). A call not in a conference gets a `jambonz:error`.
 * The `wait_hook` music of a held member is not played.
 */
import { holdMember, muteConference, participantAction } from '../conference/conference-member-control.ts';
import { connectOf, type ConnectServices } from '../dial/connect-services.ts';
import { RuntimeError } from '../runtime-error.ts';
import { asRecord } from '../verb-data.ts';
import type { CommandHandler } from './command.ts';
import type { CallSession } from '../call-session.ts';

function connect(session: CallSession): ConnectServices {
  const c = connectOf(session);
  if (!c) throw new RuntimeError('JAMBONZ_UNSUPPORTED', 'conferences are not available in this runtime');
  return c;
}

/** A status given bare (`'mute'`) or wrapped (`{conf_mute_status: 'mute'}`). */
function statusOf(data: unknown, key: string): unknown {
  return typeof data === 'string' ? data : asRecord(data)?.[key];
}

export const confMuteStatusCommand: CommandHandler = {
  name: 'conf:mute-status',
  exec(session, data) {
    muteConference(connect(session).sw, session.channel, statusOf(data, 'conf_mute_status'));
  },
};

export const confHoldStatusCommand: CommandHandler = {
  name: 'conf:hold-status',
  exec(session, data) {
    holdMember(connect(session).sw, session.channel, statusOf(data, 'conf_hold_status'));
  },
};

export const confParticipantActionCommand: CommandHandler = {
  name: 'conf:participant-action',
  exec(session, data) {
    const d = asRecord(data);
    participantAction(connect(session).sw, session.channel, d?.['action'], d?.['tag']);
  },
};
