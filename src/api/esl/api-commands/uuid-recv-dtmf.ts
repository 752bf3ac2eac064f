/**
 * API `uuid_recv_dtmf <uuid> <digits>` (specs/esl.md §5): the digits arrive on the leg as if the far end
 * had sent them (DTMF events with source APP); `+OK` / `-ERR No such channel!`.
 */
import { NO_CHANNEL, firstWord, type ApiCommand } from './api-command.ts';

export const uuidRecvDtmf: ApiCommand = {
  name: 'uuid_recv_dtmf',
  usage: '<uuid> <dtmf_data>',
  exec(args, ctx) {
    const [id, digits] = firstWord(args);
    if (id === '' || digits === '') return `-USAGE: ${this.usage}\n`;
    const channel = ctx.sw.channel(id);
    if (!channel) return NO_CHANNEL;
    const [text, ms] = digits.split('@');
    const duration = Number(ms) > 0 ? Number(ms) : 100;
    for (const d of text ?? '') channel.dtmf(d, duration, 'app');
    return '+OK\n';
  },
};
