/**
 * `boostAudioSignal` command (specs/jambonz.md §1.6; the original's _lccBoostAudioSignal): a gain in dB
 * (audio-boost.ts) on what the call hears, or the B leg of its dial when `callSid` names that leg.
 * Bad values and legs without media answer the app with `jambonz:error`.
 */
import { boostLeg, boostOf } from '../audio-boost.ts';
import type { VerbServices } from '../verbs/verb.ts';
import type { CommandHandler } from './command.ts';
import { dialChildOf } from './mute-status.ts';

/** Applies a boostAudioSignal value to the session's leg, or its dial's B leg named by `callSid`; throws RuntimeError. */
export function applyBoost(session: VerbServices, value: unknown, callSid?: string): void {
  const db = boostOf(value);
  const leg = dialChildOf(session, callSid) ?? session.channel;
  boostLeg(leg, db);
  session.log.info({ leg: leg.uuid, db }, 'boostAudioSignal applied');
}

export const boostAudioSignalCommand: CommandHandler = {
  name: 'boostAudioSignal',
  reachesDialLeg: true,
  exec(session, data, command) {
    applyBoost(session, data, command.callSid);
  },
};
