/**
 * API `uuid_break <uuid> [all|both]` (specs/esl.md §5): stops what the leg is playing (`both`: the
 * bridged partner's too); `+OK` / `-ERR No such channel!`. Queued messages are not flushed by `all`.
 */
import { NO_CHANNEL, firstWord, type ApiCommand } from './api-command.ts';

export const uuidBreak: ApiCommand = {
  name: 'uuid_break',
  usage: '<uuid> [all]',
  exec(args, ctx) {
    const [id, flag] = firstWord(args);
    const channel = ctx.sw.channel(id);
    if (!channel) return NO_CHANNEL;
    channel.stopPlayback();
    if (flag.toLowerCase() === 'both' && channel.bridgedTo !== undefined) ctx.sw.channel(channel.bridgedTo)?.stopPlayback();
    return '+OK\n';
  },
};
