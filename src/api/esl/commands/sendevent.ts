/**
 * `sendevent <NAME>` + headers [+ body] (specs/esl.md §2.2 sendevent, §4.1, §11.2): the event starts
 * with the client's headers (CUSTOM: Event-Subclass first, then the Command pseudo-header), then
 * Event-UUID, then the standard headers; `+OK <event-uuid>`. Delivered to every subscriber.
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
    if (eventName === 'CUSTOM' && subclass !== undefined) headers.push(['Event-Subclass', subclass]);
    headers.push(['Command', command.line]);
    for (const h of own) if (!(eventName === 'CUSTOM' && h[0].toLowerCase() === 'event-subclass')) headers.push(h);
    headers.push(['Event-UUID', id]);
    headers.push(...ctx.services.hub.stamper.standard(eventName, ['switchboard', 'sendevent', 0]));
    ctx.services.hub.deliver(command.body === undefined || command.body === '' ? { headers } : { headers, body: command.body });
    return reply(`+OK ${id}`);
  },
};
