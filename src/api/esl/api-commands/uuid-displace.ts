/**
 * API `uuid_displace <uuid> [start|stop] <path> [<limit>] [mux]` (specs/esl.md §5): starts or stops a
 * file played into the leg (displacements.ts); the limit is in seconds, the fifth word holds flags
 * (`l` loops; `m`/`mux` mixing is what the leg's playback does anyway). Replies as the original:
 * `+OK Success`, `-ERR Cannot locate session!`, `-ERR Cannot displace session!`,
 * `-ERR Cannot stop displace session!`, `-USAGE: ...`.
 */
import type { ApiCommand } from './api-command.ts';

export const uuidDisplace: ApiCommand = {
  name: 'uuid_displace',
  usage: '<uuid> [start|stop] <path> [<limit>] [mux]',
  exec(args, ctx) {
    const [id, action, path, limit, flags] = args.split(' ').filter((w) => w !== '');
    if (!id || !action || !path) return `-USAGE: ${this.usage}\n`;
    const channel = ctx.sw.channel(id);
    if (!channel) return '-ERR Cannot locate session!\n';
    if (action.toLowerCase() === 'start') {
      const secs = Number.parseInt(limit ?? '0', 10);
      const ok = ctx.apps.displacements.start(channel, path, {
        ...(secs > 0 ? { limitMs: secs * 1000 } : {}), ...(flags?.includes('l') ? { loop: true } : {}),
      });
      return ok ? '+OK Success\n' : '-ERR Cannot displace session!\n';
    }
    if (action.toLowerCase() === 'stop') {
      return ctx.apps.displacements.stop(channel.uuid, path) ? '+OK Success\n' : '-ERR Cannot stop displace session!\n';
    }
    return `-USAGE: ${this.usage}\n`;
  },
};
