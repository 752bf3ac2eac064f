/**
 * API `uuid_transfer <uuid> [-bleg|-both] <dest> [<dialplan>] [<context>]` (specs/esl.md §5, §6
 * transfer): takes the leg (or its bridged partner, or both) out of what it is doing — park, bridge,
 * playback — and routes it again to `<dest>`: through the config dialplan when it has the context
 * (`<context>`, else the leg's own), else through core routing. Dialplan `inline` runs
 * `app:arg,app2:arg` on the leg instead, then hangs up unless parked. `+OK` / `-ERR No such channel!`.
 */
import type { Channel } from '../../../core/index.ts';
import type { AppRunner } from '../apps.ts';
import { dialplanOf } from '../dialplan/index.ts';
import { NO_CHANNEL, type ApiCommand, type ApiContext } from './api-command.ts';

/** Runs an inline extension (apps in order), then hangs up unless the leg was parked. */
export async function runInline(apps: AppRunner, channel: Channel, steps: readonly (readonly [app: string, arg: string])[]): Promise<void> {
  for (const [app, arg] of steps) {
    if (channel.ended) return;
    if (app !== '') await apps.execute(channel, app, arg);
  }
  if (!channel.ended && !apps.parks.isParked(channel)) await channel.hangup('NORMAL_CLEARING');
}

/** Takes the leg out of park, bridge and playback (the start of any transfer). */
export function detach(ctx: { sw: ApiContext['sw']; apps: AppRunner }, channel: Channel): void {
  ctx.apps.parks.markTaken(channel);
  channel.stopPlayback();
  if (channel.bridgedTo !== undefined) ctx.sw.unbridge(channel);
  ctx.apps.parks.release(channel);
}

export function transfer(ctx: ApiContext, channel: Channel, dest: string, dialplan: string | undefined, context?: string): void {
  detach(ctx, channel);
  channel.setVariable('transfer_destination', dest);
  if (dialplan?.toLowerCase() === 'inline') {
    const steps = dest.split(/(?<!\\),/).map((step): [string, string] => {
      const colon = step.indexOf(':');
      return [(colon < 0 ? step : step.slice(0, colon)).trim(), colon < 0 ? '' : step.slice(colon + 1).replace(/\\,/g, ',')];
    });
    void runInline(ctx.apps, channel, steps);
    return;
  }
  // The config dialplan takes the transfer when it knows the context (named, or the leg's own).
  if (dialplanOf(ctx.apps)?.transfer(channel, dest, context) === true) return;
  void ctx.sw.route(channel, { destination: dest });
}

export const uuidTransfer: ApiCommand = {
  name: 'uuid_transfer',
  usage: '<uuid> [-bleg|-both] <dest-exten> [<dialplan>] [<context>]',
  exec(args, ctx) {
    const words = args.trim().split(/\s+/).filter((w) => w !== '');
    const id = words.shift() ?? '';
    let leg = 'aleg';
    if (words[0] === '-bleg' || words[0] === '-both') leg = words.shift()!.slice(1);
    const [dest, dialplan, context] = words;
    if (id === '' || dest === undefined) return `-USAGE: ${this.usage}\n`;
    const channel = ctx.sw.channel(id);
    if (!channel) return NO_CHANNEL;
    const partner = channel.bridgedTo === undefined ? undefined : ctx.sw.channel(channel.bridgedTo);
    const targets = leg === 'aleg' ? [channel] : leg === 'bleg' ? (partner ? [partner] : []) : [channel, ...(partner ? [partner] : [])];
    if (targets.length === 0) return '-ERR\n';
    for (const t of targets) transfer(ctx, t, dest, dialplan, context);
    return '+OK\n';
  },
};
