/**
 * `transcribe:status` command and REST `transcribe_status` (specs/jambonz.md §1.6, §2.6) on the call's
 * running transcriptions (the `transcribe` verb, `config.transcribe`, a dial's `transcribe`): `pause`
 * stops recognizing (no transcripts) and `resume` starts again, as the original does; `stop` (an
 * addition) ends them. Data bare (`'pause'`) or wrapped (`{transcribe_status: 'pause'}`). A call with no
 * running transcription, or another value, answers the app with `jambonz:error`.
 */
import { setTranscribeStatus, transcribeStatusOf } from '../transcribe/index.ts';
import { RuntimeError } from '../runtime-error.ts';
import type { VerbServices } from '../verbs/verb.ts';
import type { CommandHandler } from './command.ts';

/** Applies transcribe_status `data` to the session; throws RuntimeError. */
export function applyTranscribeStatus(session: VerbServices, data: unknown): void {
  const status = transcribeStatusOf(data);
  if (!status) throw new RuntimeError('JAMBONZ_COMMAND_INVALID', 'transcribe:status: transcribe_status must be pause, resume or stop');
  if (setTranscribeStatus(session, status) === 0) throw new RuntimeError('JAMBONZ_CALL_STATE', 'transcribe:status: the call has no running transcription');
}

export const transcribeStatusCommand: CommandHandler = {
  name: 'transcribe:status',
  exec(session, data) {
    applyTranscribeStatus(session, data);
  },
};
