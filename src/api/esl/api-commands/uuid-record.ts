/**
 * API `uuid_record <uuid> start|stop <path|all> [<limit_secs>]` (specs/esl.md §5, §6 record_session):
 * a background recording of the leg (both directions) that fires RECORD_START / RECORD_STOP;
 * `+OK Success` / `-ERR Cannot locate session!` / `-ERR Cannot record session!` /
 * `-ERR Cannot stop record session!`. pause / resume / mask / unmask are not supported.
 */
import type { ApiCommand } from './api-command.ts';

export const uuidRecord: ApiCommand = {
  name: 'uuid_record',
  usage: '<uuid> [start|stop|mask|unmask|pause|resume] <path> [<limit>] [<recording_vars>]',
  exec(args, ctx) {
    const [id = '', action = '', path = '', limit] = args.trim().split(/\s+/);
    if (id === '' || path === '') return `-USAGE: ${this.usage}\n`;
    const channel = ctx.sw.channel(id);
    if (!channel) return '-ERR Cannot locate session!\n';
    let mine = ctx.recordings.get(id);
    switch (action.toLowerCase()) {
      case 'start': {
        if (channel.ended) return '-ERR Cannot record session!\n';
        const secs = Number(limit);
        const rec = channel.record(path, secs > 0 ? { maxDurationMs: secs * 1000 } : {});
        if (!mine) {
          const map = new Map<string, typeof rec>();
          ctx.recordings.set(id, map);
          channel.on('destroyed', () => ctx.recordings.delete(id));
          mine = map;
        }
        mine.set(path, rec);
        const map = mine;
        void rec.done.then(() => { if (map.get(path) === rec) map.delete(path); });
        return '+OK Success\n';
      }
      case 'stop': {
        const victims = path === 'all' ? [...(mine?.values() ?? [])] : [mine?.get(path)].filter((r) => r !== undefined);
        if (victims.length === 0) return '-ERR Cannot stop record session!\n';
        for (const r of victims) r.stop();
        return '+OK Success\n';
      }
      default:
        return `-USAGE: ${this.usage}\n`;
    }
  },
};
