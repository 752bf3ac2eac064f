/**
 * API `uuid_hold [off|toggle] <uuid> [<display>]` (specs/esl.md §5): puts the leg on hold (re-INVITE),
 * takes it off, or toggles; `+OK Success` / `-ERR Operation failed`.
 */
import type { ApiCommand } from './api-command.ts';

export const uuidHold: ApiCommand = {
  name: 'uuid_hold',
  usage: '[off|toggle] <uuid> [<display>]',
  async exec(args, ctx) {
    const words = args.trim().split(/\s+/).filter((w) => w !== '');
    let mode = 'on';
    if (words[0] === 'off' || words[0] === 'toggle') mode = words.shift()!;
    const id = words[0];
    if (id === undefined) return `-USAGE: ${this.usage}\n`;
    const channel = ctx.sw.channel(id);
    if (!channel) return '-ERR Operation failed\n';
    const on = mode === 'toggle' ? !channel.held : mode === 'on';
    const r = await channel.hold(on);
    return r.ok ? '+OK Success\n' : '-ERR Operation failed\n';
  },
};
