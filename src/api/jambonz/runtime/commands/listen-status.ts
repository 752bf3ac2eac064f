/**
 * `listen:status` (and `stream:status`) command (specs/jambonz.md §1.6, §3.C): `pause` stops the audio
 * of the call's listen sockets (they stay open), `silence` sends silence instead, `resume` goes back to
 * the audio. Data bare (`'pause'`) or wrapped (`{listen_status: 'pause'}`). A call with no running
 * listen, or another value, answers the app with `jambonz:error`.
 */
import { isListenStatus, setListenStatus } from '../listen/index.ts';
import { RuntimeError } from '../runtime-error.ts';
import { asRecord } from '../verb-data.ts';
import type { CommandHandler } from './command.ts';

function listenStatusCommand(name: string): CommandHandler {
  return {
    name,
    exec(session, data) {
      const status = typeof data === 'string' ? data : asRecord(data)?.['listen_status'] ?? asRecord(data)?.['stream_status'];
      if (!isListenStatus(status)) throw new RuntimeError('JAMBONZ_COMMAND_INVALID', `${name}: status must be pause, silence or resume`);
      if (setListenStatus(session, status) === 0) throw new RuntimeError('JAMBONZ_CALL_STATE', `${name}: the call has no running listen`);
    },
  };
}

export const listenStatusCommands: CommandHandler[] = [listenStatusCommand('listen:status'), listenStatusCommand('stream:status')];
