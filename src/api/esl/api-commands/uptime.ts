/** API `uptime [us|ms|s|m|h|d]` (specs/esl.md §5): an integer in the unit, default seconds. */
import type { ApiCommand } from './api-command.ts';

const UNITS: Readonly<Record<string, number>> = {
  us: 0.001, microseconds: 0.001, ms: 1, milliseconds: 1, s: 1000, seconds: 1000, '': 1000,
  m: 60_000, minutes: 60_000, h: 3_600_000, hours: 3_600_000, d: 86_400_000, days: 86_400_000,
};

export const uptime: ApiCommand = {
  name: 'uptime',
  usage: '[us|ms|s|m|h|d|microseconds|milliseconds|seconds|minutes|hours|days]',
  exec(args, ctx) {
    const per = UNITS[args.trim()];
    if (per === undefined) return `-USAGE: ${this.usage}\n`;
    return `${Math.floor((ctx.sw.now() - ctx.hub.startedAt) / per)}\n`;
  },
};
