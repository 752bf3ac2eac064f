/**
 * REST live call control of the audio features (specs/jambonz.md §2.6 `PUT .../Calls/:callSid`):
 * `listen_status` (pause | silence | resume) on the call's listen sockets, and `record` {action,
 * recordingID?, siprecServerURL?} on its recording. 202 when applied, 400 for bad values, 422 when the
 * call has no listen / recording in the needed state or the feature is not available (SIPREC).
 * Undefined for every other update.
 */
import { errorMessage } from '../../../../lib/index.ts';
import type { RestOutcome } from '../../contract.ts';
import { applyRecord, recordRequestOf } from '../recording/index.ts';
import { RuntimeError } from '../runtime-error.ts';
import type { VerbServices } from '../verbs/verb.ts';
import { isListenStatus, setListenStatus } from './session-listens.ts';

export function mediaUpdate(session: VerbServices, key: string | undefined, body: Record<string, unknown>): RestOutcome | undefined {
  if (key === 'listen_status') {
    const status = body[key];
    if (!isListenStatus(status)) return { status: 400, body: { msg: 'invalid listen_status' } };
    if (setListenStatus(session, status) === 0) return { status: 422, body: { msg: 'the call has no running listen' } };
    return { status: 202 };
  }
  if (key === 'record') {
    try {
      applyRecord(session, recordRequestOf(body[key]));
      return { status: 202 };
    } catch (err) {
      const code = err instanceof RuntimeError ? err.code : undefined;
      return { status: code === 'JAMBONZ_COMMAND_INVALID' ? 400 : 422, body: { msg: errorMessage(err) } };
    }
  }
  return undefined;
}
