/**
 * API `uuid_record <uuid> start|stop <path|all> [<limit_secs>]` (specs/esl.md §5, §6 record_session):
 * a background recording of the leg (both directions) that fires RECORD_START / RECORD_STOP;
 * `+OK Success` / `-ERR Cannot locate session!` / `-ERR Cannot record session!` /
 * `-ERR Cannot stop record session!`. pause / resume / mask / unmask are not supported.
 */
import { startBackgroundRecording, stopBackgroundRecording } from '../background-recordings.ts';
import type { ApiCommand } from './api-command.ts';

export const uuidRecord: ApiCommand = {
  name: 'uuid_record',
  usage: '<uuid> [start|stop|mask|unmask|pause|resume] <path> [<limit>] [<recording_vars>]',
  exec(args, ctx) {
    const [id = '', action = '', path = '', limit] = args.trim().split(/\s+/);
    if (id === '' || path === '') return `-USAGE: ${this.usage}\n`;
    const channel = ctx.sw.channel(id);
    if (!channel) return '-ERR Cannot locate session!\n';
    switch (action.toLowerCase()) {
      case 'start': {
        const secs = Number(limit);
        return startBackgroundRecording(ctx.recordings, channel, path, secs > 0 ? secs : undefined)
          ? '+OK Success\n' : '-ERR Cannot record session!\n';
      }
      case 'stop':
        return stopBackgroundRecording(ctx.recordings, id, path) > 0 ? '+OK Success\n' : '-ERR Cannot stop record session!\n';
      default:
        return `-USAGE: ${this.usage}\n`;
    }
  },
};
