/**
 * `myevents <uuid> [plain|json|xml]` (specs/esl.md §2.2 myevents): binds the socket to one channel and
 * subscribes to the fixed channel set; only that channel's events (Unique-ID) and its own bgapi results
 * (Job-Owner-UUID) pass. Repeated: `-ERR aready enabled.` (sic). Unknown uuid with a format:
 * `-ERR invalid uuid`. The format word is honoured (the original ignores it inbound; clients accept both).
 * On an outbound socket `myevents [fmt]` binds the socket's own channel.
 */
import { MYEVENTS_NAMES } from '../event-names.ts';
import type { EventFormat } from '../framing.ts';
import { reply, type CommandHandler } from './command.ts';

const FORMATS = new Set(['plain', 'json', 'xml']);

export const myevents: CommandHandler = {
  name: 'myevents',
  exec(ctx) {
    const { state } = ctx;
    if (state.myevents) return reply('-ERR aready enabled.');
    const words = ctx.arg.trim().split(/\s+/).filter((w) => w !== '');
    const isFormat = (w: string | undefined): boolean => w !== undefined && FORMATS.has(w.toLowerCase());
    let id: string;
    let format: string | undefined;
    if (state.outbound !== undefined) {
      // Outbound (§2.2 myevents): `myevents [fmt]` binds the socket's own channel; a uuid is tolerated.
      id = state.boundUuid ?? '';
      format = words.find(isFormat)?.toLowerCase();
    } else {
      id = words[0] ?? '';
      format = words[1]?.toLowerCase();
      const known = ctx.services.sw.channel(id) !== undefined;
      if (!known) {
        if (format !== undefined) return reply('-ERR invalid uuid');
        return reply('+OK Events Enabled');
      }
    }
    if (isFormat(format)) state.format = format as EventFormat;
    state.boundUuid = id;
    state.myevents = true;
    state.listening = true;
    state.subscription.clear();
    state.subscription.add(MYEVENTS_NAMES);
    return reply('+OK Events Enabled');
  },
};
