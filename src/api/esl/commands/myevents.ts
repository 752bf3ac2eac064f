/**
 * `myevents <uuid> [plain|json|xml]` (specs/esl.md §2.2 myevents): binds the socket to one channel and
 * subscribes to the fixed channel set; only that channel's events (Unique-ID) and its own bgapi results
 * (Job-Owner-UUID) pass. Repeated: `-ERR aready enabled.` (sic). Unknown uuid with a format:
 * `-ERR invalid uuid`. The format word is honoured (the original ignores it inbound; clients accept both).
 */
import { MYEVENTS_NAMES } from '../event-names.ts';
import type { EventFormat } from '../framing.ts';
import { reply, type CommandHandler } from './command.ts';

export const myevents: CommandHandler = {
  name: 'myevents',
  exec(ctx) {
    if (ctx.state.boundUuid !== undefined) return reply('-ERR aready enabled.');
    const [id = '', fmt] = ctx.arg.trim().split(/\s+/);
    const format = fmt?.toLowerCase();
    const known = ctx.services.sw.channel(id) !== undefined;
    if (!known) {
      if (format !== undefined) return reply('-ERR invalid uuid');
      return reply('+OK Events Enabled');
    }
    if (format === 'plain' || format === 'json' || format === 'xml') ctx.state.format = format as EventFormat;
    ctx.state.boundUuid = id;
    ctx.state.listening = true;
    ctx.state.subscription.clear();
    ctx.state.subscription.add(MYEVENTS_NAMES);
    return reply('+OK Events Enabled');
  },
};
