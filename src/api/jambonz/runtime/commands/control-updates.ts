/**
 * REST live call control of mute, dub, transcription and gain (specs/jambonz.md §2.6 `PUT .../Calls/:callSid`):
 * `mute_status` (mute | unmute) on the call's leg, `dub` {action, track, play?, say?, loop?, gain?} on
 * its dub tracks, `transcribe_status` (pause | resume | stop) on its running transcriptions,
 * `boostAudioSignal` (a gain in dB, commands/boost-audio-signal.ts) on what the call hears. 202 when
 * applied, 400 for bad values, 422 when the call cannot take it (no media, no transcription, unknown
 * track). Undefined for every other update.
 */
import { errorMessage } from '../../../../lib/index.ts';
import type { RestOutcome } from '../../contract.ts';
import { RuntimeError } from '../runtime-error.ts';
import type { VerbServices } from '../verbs/verb.ts';
import { applyBoost } from './boost-audio-signal.ts';
import { applyDubData } from './dub.ts';
import { applyMute, muteStatusOf } from './mute-status.ts';
import { applyTranscribeStatus } from './transcribe-status.ts';

export const CONTROL_UPDATES = ['mute_status', 'dub', 'transcribe_status', 'boostAudioSignal'] as const;

export async function controlUpdate(session: VerbServices, key: string | undefined, body: Record<string, unknown>): Promise<RestOutcome | undefined> {
  if (key === undefined || !(CONTROL_UPDATES as readonly string[]).includes(key)) return undefined;
  try {
    switch (key) {
      case 'mute_status': {
        const status = muteStatusOf(body[key]);
        if (!status) return { status: 400, body: { msg: 'mute_status must be mute or unmute' } };
        applyMute(session, status);
        break;
      }
      case 'dub':
        await applyDubData(session, { dub: body[key] });
        break;
      case 'transcribe_status':
        applyTranscribeStatus(session, body[key]);
        break;
      case 'boostAudioSignal':
        applyBoost(session, body[key]);
        break;
    }
  } catch (err) {
    const code = err instanceof RuntimeError ? err.code : undefined;
    session.log.info({ update: key, err: errorMessage(err) }, 'live call update refused');
    return { status: code === 'JAMBONZ_COMMAND_INVALID' ? 400 : 422, body: { msg: errorMessage(err) } };
  }
  return { status: 202 };
}
