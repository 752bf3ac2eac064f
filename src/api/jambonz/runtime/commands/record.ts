/**
 * `record` command (specs/jambonz.md §1.6; data `{action, siprecServerURL?, recordingID?, headers?}`):
 * start, stop, pause or resume the call's recording (recording/): a local stereo WAV, or with
 * `siprecServerURL` a SIPREC recording session (RFC 7866) at that server. Bad data or a wrong state
 * answer the app with `jambonz:error`; a recording server that refuses or does not answer too, later.
 */
import { applyRecord, recordRequestOf } from '../recording/index.ts';
import type { CommandHandler } from './command.ts';

export const recordCommand: CommandHandler = {
  name: 'record',
  exec(session, data) {
    applyRecord(session, recordRequestOf(data));
  },
};
