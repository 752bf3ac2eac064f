/** API `uuid_getvar <uuid> <var>` (specs/esl.md §5): the raw value, no newline; unset `_undef_`. */
import { channelVariables } from '../channel-headers.ts';
import { NO_CHANNEL, firstWord, type ApiCommand } from './api-command.ts';

export const uuidGetvar: ApiCommand = {
  name: 'uuid_getvar',
  usage: '<uuid> <var>',
  exec(args, ctx) {
    const [id, name] = firstWord(args);
    if (!id || !name) return `-USAGE: ${this.usage}\n`;
    const channel = ctx.sw.channel(id);
    if (!channel) return NO_CHANNEL;
    const value = new Map(channelVariables(channel.snapshot())).get(name);
    return value === undefined || value === '' ? '_undef_' : value;
  },
};
