/** API `uuid_setvar <uuid> <var> [<value>]` (specs/esl.md §5): no value unsets. */
import { NO_CHANNEL, firstWord, type ApiCommand } from './api-command.ts';

export const uuidSetvar: ApiCommand = {
  name: 'uuid_setvar',
  usage: '<uuid> <var> [value]',
  exec(args, ctx) {
    const [id, rest] = firstWord(args);
    const [name, value] = firstWord(rest);
    if (!id || !name) return `-USAGE: ${this.usage}\n`;
    const channel = ctx.sw.channel(id);
    if (!channel) return NO_CHANNEL;
    channel.setVariable(name, value === '' ? undefined : value);
    return '+OK\n';
  },
};
