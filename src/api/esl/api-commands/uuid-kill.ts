/** API `uuid_kill <uuid> [<cause>]` (specs/esl.md §5, §7): default NORMAL_CLEARING, unknown names too. */
import { parseHangupCause } from '../../../core/index.ts';
import { NO_CHANNEL, firstWord, type ApiCommand } from './api-command.ts';

export const uuidKill: ApiCommand = {
  name: 'uuid_kill',
  usage: '<uuid> [cause]',
  exec(args, ctx) {
    const [id, rest] = firstWord(args);
    if (!id) return `-USAGE: ${this.usage}\n`;
    const channel = ctx.sw.channel(id);
    if (!channel) return NO_CHANNEL;
    void channel.hangup(parseHangupCause(rest || 'NORMAL_CLEARING') ?? 'NORMAL_CLEARING');
    return '+OK\n';
  },
};
