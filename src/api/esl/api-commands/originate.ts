/**
 * API `originate <dialstring> <exten>|&<app>(<args>) [<dialplan>] [<context>] [<cid_name>] [<cid_num>]
 * [<timeout_sec>]` (specs/esl.md §5): places the call through the switch; `+OK <uuid>\n` once answered,
 * `-ERR <CAUSE>\n` on failure. After answer the leg runs the application, or is routed to the extension.
 * Understood variables: origination_uuid, origination_caller_id_name/_number, originate_timeout,
 * ignore_early_media.
 */
import type { OriginateOptions } from '../../../core/index.ts';
import { parseAppForm, parseDialString, splitArgs } from '../dial-string.ts';
import type { ApiCommand } from './api-command.ts';

function given(v: string | undefined): string | undefined {
  return v === undefined || v === '' || v === 'undef' ? undefined : v;
}

export const originate: ApiCommand = {
  name: 'originate',
  usage: '<call url> <exten>|&<application_name>(<app_args>) [<dialplan>] [<context>] [<cid_name>] [<cid_num>] [<timeout_sec>]',
  async exec(args, ctx) {
    const argv = splitArgs(args);
    if (argv.length < 2 || argv.length > 7) return `-USAGE: ${this.usage}\n`;
    const [dial, dest, , , cidName, cidNum, timeout] = argv as [string, string, ...(string | undefined)[]];
    const { target, variables } = parseDialString(dial);
    const options: OriginateOptions = { variables };
    const name = given(cidName) ?? variables['origination_caller_id_name'];
    const number = given(cidNum) ?? variables['origination_caller_id_number'];
    if (name !== undefined || number !== undefined) options.callerId = { ...(name ? { name } : {}), ...(number ? { number } : {}) };
    const secs = Number(given(timeout) ?? variables['originate_timeout'] ?? NaN);
    if (secs > 0) options.timeoutMs = secs * 1000;
    if (variables['origination_uuid']) options.uuid = variables['origination_uuid'];
    if (variables['ignore_early_media'] === 'true') options.earlyMedia = false;
    const app = parseAppForm(dest);
    const result = await ctx.sw.originate(target, options);
    if (!result.ok) return `-ERR ${result.cause}\n`;
    const channel = result.channel;
    if (app) {
      void ctx.apps.execute(channel, app.app, app.arg).then(async () => {
        if (app.app.toLowerCase() !== 'park' && !channel.ended) await channel.hangup('NORMAL_CLEARING');
      });
    } else {
      void ctx.sw.route(channel, { destination: dest });
    }
    return `+OK ${channel.uuid}\n`;
  },
};
