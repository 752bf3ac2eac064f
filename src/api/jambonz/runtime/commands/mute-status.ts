/**
 * `mute:status` command and REST `mute_status` (specs/jambonz.md §1.6, §2.6): `mute` stops what a leg
 * says from reaching whoever hears it (the dialed party, a conference, listen sockets, recordings),
 * `unmute` lets it through again. Data bare (`'mute'`) or wrapped (`{mute_status: 'mute'}`). The leg is
 * the call itself, or the B leg of its dial when `callSid` names that leg (as the original does). A leg
 * without media, or a media layer without mute, answers the app with `jambonz:error` / 422.
 */
import type { Channel } from '../../../../core/index.ts';
import { connectOf } from '../dial/connect-services.ts';
import { RuntimeError } from '../runtime-error.ts';
import { asRecord } from '../verb-data.ts';
import type { VerbServices } from '../verbs/verb.ts';
import type { CommandHandler } from './command.ts';

export type MuteStatus = 'mute' | 'unmute';

export function muteStatusOf(data: unknown): MuteStatus | undefined {
  const value = typeof data === 'string' ? data : asRecord(data)?.['mute_status'];
  return value === 'mute' || value === 'unmute' ? value : undefined;
}

/** The B leg of the session's dial when `callSid` names it. */
export function dialChildOf(session: VerbServices, callSid: string | undefined): Channel | undefined {
  if (callSid === undefined) return undefined;
  const child = connectOf(session)?.dials.get(session.callInfo.callSid)?.child;
  return child && child.uuid === callSid && !child.ended ? child : undefined;
}

/** Mutes or unmutes the session's leg, or its dial's B leg named by `callSid`; throws RuntimeError. */
export function applyMute(session: VerbServices, status: MuteStatus, callSid?: string): void {
  const leg = dialChildOf(session, callSid) ?? session.channel;
  if (leg.ended) throw new RuntimeError('JAMBONZ_CALL_STATE', 'mute:status: the call has ended');
  const media = leg.media;
  if (!media) throw new RuntimeError('JAMBONZ_CALL_STATE', 'mute:status: the call has no media yet');
  if (!media.setMuted) throw new RuntimeError('JAMBONZ_UNSUPPORTED', 'mute:status: this leg\'s media cannot be muted');
  media.setMuted(status === 'mute');
  session.log.info({ leg: leg.uuid, status }, 'mute:status applied');
}

export const muteStatusCommand: CommandHandler = {
  name: 'mute:status',
  reachesDialLeg: true,
  exec(session, data, command) {
    const status = muteStatusOf(data);
    if (!status) throw new RuntimeError('JAMBONZ_COMMAND_INVALID', 'mute:status: mute_status must be mute or unmute');
    applyMute(session, status, command.callSid);
  },
};
