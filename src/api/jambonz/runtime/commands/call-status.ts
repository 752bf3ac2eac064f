/**
 * `call:status` command (specs/jambonz.md §1.6): `{call_status: 'completed'}` hangs up an answered call
 * (an unanswered one is rejected), `'no-answer'` cancels an unanswered one.
 */
import { asRecord } from '../verb-data.ts';
import { RuntimeError } from '../runtime-error.ts';
import type { CommandHandler } from './command.ts';

export const callStatusCommand: CommandHandler = {
  name: 'call:status',
  async exec(session, data) {
    const status = typeof data === 'string' ? data : asRecord(data)?.['call_status'];
    if (status !== 'completed' && status !== 'no-answer') {
      throw new RuntimeError('JAMBONZ_COMMAND_INVALID', 'call:status: call_status must be completed or no-answer');
    }
    await session.endCall(status);
  },
};
