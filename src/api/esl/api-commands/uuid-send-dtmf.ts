/**
 * API `uuid_send_dtmf <uuid> <digits>[@<ms>]` (specs/esl.md §5). Without `@<ms>`: the length set by
 * `fsctl default_dtmf_duration`, else the media layer's default.
 */
import { firstWord, type ApiCommand } from './api-command.ts';

export const uuidSendDtmf: ApiCommand = {
  name: 'uuid_send_dtmf',
  usage: '<uuid> <dtmf_data>',
  async exec(args, ctx) {
    const [id, data] = firstWord(args);
    const channel = ctx.sw.channel(id);
    if (!channel) return '-ERR Cannot locate session!\n';
    if (!data) return `-USAGE: ${this.usage}\n`;
    const [digits, ms] = data.split('@') as [string, string | undefined];
    const fallback = ctx.settings.defaultDtmfChanged ? { durationMs: ctx.settings.defaultDtmfMs } : {};
    void channel.sendDtmf(digits.replace(/[wW]/g, ''), ms ? { durationMs: Number(ms) } : fallback);
    return `+OK ${id} sent DTMF ${digits}.\n`;
  },
};
