/**
 * API `uuid_broadcast <uuid> <path|app::args> [aleg|bleg|both]` (specs/esl.md §5): queues a playback
 * (or an application) on the leg(s); `+OK Message sent` / `-ERR invalid uuid`.
 */
import { firstWord, type ApiCommand } from './api-command.ts';

export const uuidBroadcast: ApiCommand = {
  name: 'uuid_broadcast',
  usage: '<uuid> <path> [aleg|bleg|both]',
  exec(args, ctx) {
    const [id, rest] = firstWord(args);
    const parts = rest.split(' ');
    const legWord = parts.length > 1 ? parts[parts.length - 1]! : '';
    const leg = ['aleg', 'bleg', 'both', 'holdb'].includes(legWord) ? legWord : 'aleg';
    const what = leg === legWord ? parts.slice(0, -1).join(' ') : rest;
    const channel = ctx.sw.channel(id);
    if (!channel || !what) return '-ERR invalid uuid\n';
    const sep = what.indexOf('::');
    const app = sep < 0 ? 'playback' : what.slice(0, sep).replace(/!.*$/, '');
    const arg = sep < 0 ? what : what.slice(sep + 2);
    const targets = [];
    if (leg !== 'bleg') targets.push(channel);
    const other = channel.bridgedTo === undefined ? undefined : ctx.sw.channel(channel.bridgedTo);
    if ((leg === 'bleg' || leg === 'both') && other) targets.push(other);
    for (const t of targets) void ctx.apps.execute(t, app, arg);
    return '+OK Message sent\n';
  },
};
