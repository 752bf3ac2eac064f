/** API `status` (specs/esl.md §5): uptime, version banner, session counters, limits. */
import { formatUptime } from '../uptime.ts';
import type { ApiCommand } from './api-command.ts';

export const status: ApiCommand = {
  name: 'status',
  usage: '',
  exec(_args, ctx) {
    const stats = ctx.sw.stats();
    const up = ctx.sw.now() - ctx.hub.startedAt;
    return [
      `UP ${formatUptime(up)}`,
      `FreeSWITCH (Version ${ctx.version.full} ${ctx.version.revision}) is ready`,
      `${stats.sessionsSinceStartup} session(s) since startup`,
      `${stats.activeSessions} session(s) - peak ${stats.peakSessions}, last 5min ${stats.peakSessions} `,
      `0 session(s) per Sec out of max 30, peak 0, last 5min 0 `,
      `${ctx.maxSessions} session(s) max`,
      `min idle cpu 0.00/100.00`,
      `Current Stack Size/Max 240K/8192K`,
    ].join('\n') + '\n';
  },
};
