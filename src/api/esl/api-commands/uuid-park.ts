/**
 * API `uuid_park <uuid>` (specs/esl.md §5, §4.4 Park): stops what the leg plays, takes it out of a
 * bridge and parks it (CHANNEL_PARK); it stays up taking messages. `+OK` / `-ERR No such channel!`.
 */
import { NO_CHANNEL, firstWord, type ApiCommand } from './api-command.ts';

export const uuidPark: ApiCommand = {
  name: 'uuid_park',
  usage: '<uuid>',
  exec(args, ctx) {
    const [id] = firstWord(args);
    const channel = ctx.sw.channel(id);
    if (!channel || channel.ended) return NO_CHANNEL;
    channel.stopPlayback();
    if (channel.bridgedTo !== undefined) ctx.sw.unbridge(channel);
    ctx.apps.parks.hold(channel, 'park');
    return '+OK\n';
  },
};
