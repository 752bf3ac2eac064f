/**
 * API `uuid_setvar_multi <uuid> <var>=<value>;<var2>=<value2>` (specs/esl.md §5): `+OK` /
 * `-ERR No such channel!`; an empty value unsets.
 */
import { NO_CHANNEL, firstWord, type ApiCommand } from './api-command.ts';

export const uuidSetvarMulti: ApiCommand = {
  name: 'uuid_setvar_multi',
  usage: '<uuid> <var>=<value>;<var>=<value>...',
  exec(args, ctx) {
    const [id, rest] = firstWord(args);
    if (id === '' || rest === '') return `-USAGE: ${this.usage}\n`;
    const channel = ctx.sw.channel(id);
    if (!channel) return NO_CHANNEL;
    for (const pair of rest.split(';')) {
      const eq = pair.indexOf('=');
      if (eq > 0) channel.setVariable(pair.slice(0, eq).trim(), pair.slice(eq + 1));
    }
    return '+OK\n';
  },
};
