/**
 * `log [<level>]` and `nolog` (specs/esl.md §2.2 log, §11.1): level names or numbers (numbers clamp to
 * 63, default 7); `+OK log level <arg> [<n>]`; then every server log line at or below that level comes as a
 * log/data frame (log-tap.ts). `nolog` stops them.
 */
import { reply, type CommandHandler } from './command.ts';

const LEVELS: Readonly<Record<string, number>> = {
  console: 0, alert: 1, crit: 2, err: 3, error: 3, warning: 4, notice: 5, info: 6, debug: 7,
};

export function parseLogLevel(arg: string): number | undefined {
  const t = arg.trim().toLowerCase();
  if (t === '') return 7;
  if (/^\d+$/.test(t)) return Math.min(63, Number(t));
  return LEVELS[t];
}

export const log: CommandHandler = {
  name: 'log',
  exec(ctx) {
    if (ctx.state.permissions && !ctx.state.permissions.log) return reply('-ERR permission denied');
    const level = parseLogLevel(ctx.arg);
    if (level === undefined) return reply('-ERR invalid log level');
    ctx.state.logLevel = level;
    return reply(`+OK log level ${ctx.arg.trim()} [${level}]`);
  },
};

export const nolog: CommandHandler = {
  name: 'nolog',
  exec(ctx) {
    if (ctx.state.logLevel === undefined) return reply('-ERR not loging');
    delete ctx.state.logLevel;
    return reply('+OK no longer logging');
  },
};
