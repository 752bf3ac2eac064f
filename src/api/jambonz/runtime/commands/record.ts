/**
 * `record` command (specs/jambonz.md §1.6; data `{action, siprecServerURL?, recordingID?, headers?}`):
 * start, stop, pause or resume the call's recording (recording/). Bad data, a wrong state or SIPREC
 * answer the app with `jambonz:error`.
 */
import { applyRecord, recordRequestOf } from '../recording/index.ts';
import type { CommandHandler } from './command.ts';

export const recordCommand: CommandHandler = {
  name: 'record',
  exec(session, data) {
    applyRecord(session, recordRequestOf(data));
  },
};
