/**
 * `sendevent <NAME>` + headers [+ body] (specs/esl.md §2.2 sendevent, §4.1, §11.2): the event starts
 * with the client's headers (CUSTOM: Event-Subclass first, then the Command pseudo-header), then
 * Event-UUID, then the standard headers; `+OK <event-uuid>`. Delivered to every subscriber, except when
 * its Unique-ID names a live channel: then it is queued to that channel, where a socket with
 * `divert_events on` receives it raw (no Event-Name, no standard headers, Event-Subclass last).
 */
import { uuid } from '../../../lib/index.ts';
import { canonicalEventName } from '../event-names.ts';
import type { EventHeader } from '../esl-event.ts';
import { headerValue } from '../framing.ts';
import { reply, type CommandHandler } from './command.ts';

export const sendevent: CommandHandler = {
  name: 'sendevent',
  exec(ctx) {
    const token = ctx.arg.trim().split(/\s+/)[0] ?? '';
    const name = canonicalEventName(token);
    const eventName = name === undefined || name === 'ALL' ? 'CUSTOM' : name;
    const id = uuid();
    const { command } = ctx;
    const own = command.headers.filter(([n]) => n.toLowerCase() !== 'content-length');
    const headers: EventHeader[] = [];
    const subclass = headerValue(command.headers, 'Event-Subclass');
    const target = headerValue(command.headers, 'Unique-ID')?.trim();
    if (target !== undefined && ctx.services.sw.channel(target) !== undefined) {
      // Queued to the live channel, not broadcast: a divert_events socket gets it raw (§11.3).
      const raw: EventHeader[] = [['Command', command.line], ...own.filter(([n]) => n.toLowerCase() !== 'event-subclass'), ['Event-UUID', id]];
      if (subclass !== undefined) raw.push(['Event-Subclass', subclass]);
      const taken = ctx.services.hub.queueToSession(target, command.body === undefined || command.body === '' ? { headers: raw } : { headers: raw, body: command.body });
      if (!taken) ctx.services.log.debug({ uuid: target }, 'sendevent queued to a channel nobody diverts; dropped');
      return reply(`+OK ${id}`);
    }
    if (eventName === 'CUSTOM' && subclass !== undefined) headers.push(['Event-Subclass', subclass]);
    headers.push(['Command', command.line]);
    for (const h of own) if (!(eventName === 'CUSTOM' && h[0].toLowerCase() === 'event-subclass')) headers.push(h);
    headers.push(['Event-UUID', id]);
    headers.push(...ctx.services.hub.stamper.standard(eventName, ['switchboard', 'sendevent', 0]));
    ctx.services.hub.deliver(command.body === undefined || command.body === '' ? { headers } : { headers, body: command.body });
    return reply(`+OK ${id}`);
  },
};
