/**
 * API `sched_api +<secs>|@<secs>|<epoch> <group|none> <api command> [<args>]` (specs/esl.md §5): runs
 * another API later (`@`: every n seconds) on the switch clock; `+OK Added: <task id>`. A trailing `&`
 * on the command (background in the original) is dropped: the API runs without blocking anything.
 */
import { parseWhen } from './api-scheduler.ts';
import type { ApiCommand } from './api-command.ts';

export const schedApi: ApiCommand = {
  name: 'sched_api',
  usage: '[+@]<time> <group_name> <command_string>[&]',
  exec(args, ctx) {
    const m = /^(\S+)\s+(\S+)\s+(\S+)(?:\s+(.*))?$/s.exec(args.trim());
    const at = m ? parseWhen(m[1]!, ctx.sw.now()) : undefined;
    if (!m || !at) return `-USAGE: ${this.usage}\n`;
    let command = m[3]!;
    let rest = (m[4] ?? '').trim();
    if (rest.endsWith('&')) rest = rest.slice(0, -1).trim();
    else if (command.endsWith('&')) command = command.slice(0, -1);
    const id = ctx.scheduler.add(at.delayMs, () => void ctx.run(command, rest), at.repeatMs === undefined ? {} : { repeatMs: at.repeatMs });
    return `+OK Added: ${id}\n`;
  },
};
