/**
 * API `uuid_transfer <uuid> [-bleg|-both] <dest> [<dialplan>] [<context>]` (specs/esl.md §5, §6
 * transfer): takes the leg (or its bridged partner, or both) out of what it is doing — park, bridge,
 * playback — and routes it again through core routing to `<dest>`. Dialplan `inline` runs
 * `app:arg,app2:arg` on the leg instead, then hangs up unless parked. `+OK` / `-ERR No such channel!`.
 */
import type { Channel } from '../../../core/index.ts';
import { NO_CHANNEL, type ApiCommand, type ApiContext } from './api-command.ts';

async function inline(ctx: ApiContext, channel: Channel, dest: string): Promise<void> {
  for (const step of dest.split(/(?<!\\),/)) {
    if (channel.ended) return;
    const colon = step.indexOf(':');
    const app = (colon < 0 ? step : step.slice(0, colon)).trim();
    if (app !== '') await ctx.apps.execute(channel, app, colon < 0 ? '' : step.slice(colon + 1).replace(/\\,/g, ','));
  }
  if (!channel.ended && !ctx.apps.parks.isParked(channel) && !ctx.apps.parks.wasTaken(channel)) await channel.hangup('NORMAL_CLEARING');
}

export function transfer(ctx: ApiContext, channel: Channel, dest: string, dialplan: string | undefined): void {
  ctx.apps.parks.markTaken(channel);
  channel.stopPlayback();
  if (channel.bridgedTo !== undefined) ctx.sw.unbridge(channel);
  ctx.apps.parks.release(channel);
  channel.setVariable('transfer_destination', dest);
  if (dialplan?.toLowerCase() === 'inline') {
    // A fresh "dialplan": the transfer mark stays only for the apps' own decisions.
    void inline(ctx, channel, dest);
    return;
  }
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
    const [dest, dialplan] = words;
    if (id === '' || dest === undefined) return `-USAGE: ${this.usage}\n`;
    const channel = ctx.sw.channel(id);
    if (!channel) return NO_CHANNEL;
    const partner = channel.bridgedTo === undefined ? undefined : ctx.sw.channel(channel.bridgedTo);
    const targets = leg === 'aleg' ? [channel] : leg === 'bleg' ? (partner ? [partner] : []) : [channel, ...(partner ? [partner] : [])];
    if (targets.length === 0) return '-ERR\n';
    for (const t of targets) transfer(ctx, t, dest, dialplan);
    return '+OK\n';
  },
};
