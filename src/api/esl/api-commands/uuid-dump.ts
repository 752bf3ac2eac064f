/**
 * API `uuid_dump <uuid> [txt|plain|json|xml]` (specs/esl.md §5): the channel as a CHANNEL_DATA event;
 * txt = URL-encoded `Name: value` lines + blank line, plain = `Name: [value]` unencoded, json/xml as the
 * event formats.
 */
import { channelHeaders } from '../channel-headers.ts';
import { serializeJson, serializePlain, serializeXml, type EslEvent } from '../esl-event.ts';
import { NO_CHANNEL, firstWord, type ApiCommand } from './api-command.ts';

export const uuidDump: ApiCommand = {
  name: 'uuid_dump',
  usage: '<uuid> [format]',
  exec(args, ctx) {
    const [id, format] = firstWord(args);
    const channel = ctx.sw.channel(id);
    if (!channel) return NO_CHANNEL;
    const event: EslEvent = ctx.hub.stamper.stamp({
      name: 'CHANNEL_DATA', origin: ['switchboard', 'uuid_dump', 0],
      headers: channelHeaders(channel.snapshot(), { extended: true }),
    });
    switch (format) {
      case 'json': return serializeJson(event);
      case 'xml': return serializeXml(event);
      case 'plain': return event.headers.map(([n, v]) => `${n}: [${typeof v === 'string' ? v : v.join('|:')}]\n`).join('') + '\n';
      default: return serializePlain(event);
    }
  },
};
