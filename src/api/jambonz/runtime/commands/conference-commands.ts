/**
 * Conference commands (specs/jambonz.md §1.6): `conf:mute-status` `{conf_mute_status}` mutes or
 * unmutes every member but the moderators of the call's conference, `conf:hold-status`
 * `{conf_hold_status}` holds the call's member, `conf:participant-action` `{action, tag}` acts on it
 * (tag, untag, coach, uncoach, mute, unmute, hold, unhold, kick). A `wait_hook` with a hold plays its
 * reply to the held call in a loop until it is unheld (conference/hold-music.ts). A call not in a
 * conference gets a `jambonz:error`.
 */
import { muteConference } from '../conference/conference-member-control.ts';
import { holdWithMusic, memberAction } from '../conference/member-actions.ts';
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
    holdWithMusic(session, connect(session), statusOf(data, 'conf_hold_status'), asRecord(data)?.['wait_hook']);
  },
};

export const confParticipantActionCommand: CommandHandler = {
  name: 'conf:participant-action',
  exec(session, data) {
    const d = asRecord(data);
    memberAction(session, connect(session), d?.['action'], d?.['tag'], d?.['wait_hook']);
  },
};
