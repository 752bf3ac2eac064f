/** API `version [short]` (specs/esl.md §5). */
import type { ApiCommand } from './api-command.ts';

export const version: ApiCommand = {
  name: 'version',
  usage: '[short]',
  exec(args, ctx) {
    if (args.trim() === 'short') return `${ctx.version.number}\n`;
    return `FreeSWITCH Version ${ctx.version.full}~64bit (${ctx.version.revision})\n`;
  },
};
