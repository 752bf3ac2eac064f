/**
 * API `sched_hangup +<secs>|<epoch> <uuid> [<cause>]` (specs/esl.md §5): hangs the leg up later (default
 * ALLOTTED_TIMEOUT), on the switch clock; dropped if the leg ends first. `+OK`.
 */
import { parseHangupCause } from '../../../core/index.ts';
import { parseWhen } from './api-scheduler.ts';
import { NO_CHANNEL, type ApiCommand } from './api-command.ts';

export const schedHangup: ApiCommand = {
  name: 'sched_hangup',
  usage: '[+]<time> <uuid> [<cause>]',
  exec(args, ctx) {
    const [when = '', id = '', causeText] = args.trim().split(/\s+/);
    const at = parseWhen(when, ctx.sw.now());
    if (!at || id === '') return `-USAGE: ${this.usage}\n`;
    const channel = ctx.sw.channel(id);
    if (!channel) return NO_CHANNEL;
    const cause = parseHangupCause(causeText ?? 'ALLOTTED_TIMEOUT') ?? 'ALLOTTED_TIMEOUT';
    ctx.scheduler.add(at.delayMs, () => void channel.hangup(cause), { channel });
    return '+OK\n';
  },
};
