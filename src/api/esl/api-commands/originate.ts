/**
 * API `originate <dialstring> <exten>|&<app>(<args>) [<dialplan>] [<context>] [<cid_name>] [<cid_num>]
 * [<timeout_sec>]` (specs/esl.md §5): places the call through the switch; `+OK <uuid>\n` once answered,
 * `-ERR <CAUSE>\n` on failure. After answer the leg runs the application, or is routed to the extension.
 * Understood variables: origination_uuid, origination_caller_id_name/_number, originate_timeout,
 * leg_timeout, ignore_early_media. Multi-leg dial strings (`,` `|` `:_:`) go through multi-dial.ts.
 */
import type { OriginateOptions } from '../../../core/index.ts';
import { parseAppForm, splitArgs } from '../dial-string.ts';
import { dialPlan, legCount, parseMultiDial } from '../multi-dial.ts';
import type { ApiCommand } from './api-command.ts';

function given(v: string | undefined): string | undefined {
  return v === undefined || v === '' || v === 'undef' ? undefined : v;
}

export interface LegDefaults {
  cidName?: string;
  cidNum?: string;
  timeoutSecs?: number;
  /** origination_uuid applies only when the dial string names a single leg. */
  allowUuid: boolean;
}

/** Originate options from a leg's variables (originate_timeout / leg_timeout, origination_*, ignore_early_media). */
export function legOptions(variables: Record<string, string>, d: LegDefaults): OriginateOptions {
  const options: OriginateOptions = { variables };
  const name = d.cidName ?? variables['origination_caller_id_name'];
  const number = d.cidNum ?? variables['origination_caller_id_number'];
  if (name !== undefined || number !== undefined) options.callerId = { ...(name ? { name } : {}), ...(number ? { number } : {}) };
  const secs = Number(variables['leg_timeout'] ?? d.timeoutSecs ?? variables['originate_timeout'] ?? NaN);
  if (secs > 0) options.timeoutMs = secs * 1000;
  if (d.allowUuid && variables['origination_uuid']) options.uuid = variables['origination_uuid'];
  if (variables['ignore_early_media'] === 'true') options.earlyMedia = false;
  return options;
}

export const originate: ApiCommand = {
  name: 'originate',
  usage: '<call url> <exten>|&<application_name>(<app_args>) [<dialplan>] [<context>] [<cid_name>] [<cid_num>] [<timeout_sec>]',
  async exec(args, ctx) {
    const argv = splitArgs(args);
    if (argv.length < 2 || argv.length > 7) return `-USAGE: ${this.usage}\n`;
    const [dial, dest, , , cidName, cidNum, timeout] = argv as [string, string, ...(string | undefined)[]];
    const plan = parseMultiDial(dial);
    if (plan.groups.length === 0) return '-ERR INVALID_URL\n';
    const secs = Number(given(timeout) ?? NaN);
    const defaults: LegDefaults = { allowUuid: legCount(plan) === 1 };
    const name = given(cidName);
    const number = given(cidNum);
    if (name !== undefined) defaults.cidName = name;
    if (number !== undefined) defaults.cidNum = number;
    if (secs > 0) defaults.timeoutSecs = secs;
    const app = parseAppForm(dest);
    const result = await dialPlan(ctx.sw, plan, (variables) => legOptions(variables, defaults));
    if (!result.ok) return `-ERR ${result.cause}\n`;
    const channel = result.channel;
    if (app) {
      // The inline extension is just this app: when it ends the leg hangs up, unless it was parked,
      // bridged or transferred meanwhile (specs/esl.md §3.6).
      void ctx.apps.execute(channel, app.app, app.arg).then(async () => {
        const { parks } = ctx.apps;
        if (!channel.ended && !parks.isParked(channel) && !parks.wasTaken(channel)) await channel.hangup('NORMAL_CLEARING');
      });
    } else {
      void ctx.sw.route(channel, { destination: dest });
    }
    return `+OK ${channel.uuid}\n`;
  },
};
