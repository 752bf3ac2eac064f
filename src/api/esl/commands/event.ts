/**
 * `event [plain|json|xml] <NAME ...> [CUSTOM <subclass ...>]` (specs/esl.md §2.2 event, §1.4): additive;
 * the format word alone still switches the format; no valid name -> `-ERR no keywords supplied`; a name a
 * userauth connection may not see -> `-ERR permission denied`.
 */
import type { EventFormat } from '../framing.ts';
import { canonicalEventName } from '../event-names.ts';
import { eventAllowed } from '../user-directory.ts';
import { reply, type CommandHandler } from './command.ts';

const FORMATS = new Set<string>(['plain', 'json', 'xml']);

export const event: CommandHandler = {
  name: 'event',
  exec(ctx) {
    const tokens = ctx.arg.split(' ');
    const first = (tokens[0] ?? '').toLowerCase();
    if (FORMATS.has(first)) {
      ctx.state.format = first as EventFormat;
      tokens.shift();
    }
    const p = ctx.state.permissions;
    let valid: number;
    if (p?.events === undefined) {
      valid = ctx.state.subscription.add(tokens);
    } else {
      // userauth with esl-allowed-events: ALL means every allowed name; the first refused one stops.
      valid = 0;
      let custom = false;
      for (const token of tokens) {
        if (token === '') continue;
        if (custom) {
          if (!eventAllowed(p, 'CUSTOM', token)) return reply('-ERR permission denied');
          valid += ctx.state.subscription.add(['CUSTOM', token]);
          continue;
        }
        const name = canonicalEventName(token);
        if (name === undefined) continue;
        if (name === 'ALL') {
          valid += ctx.state.subscription.add([...p.events]);
          if ((p.subclasses?.size ?? 0) > 0) ctx.state.subscription.add(['CUSTOM', ...(p.subclasses ?? [])]);
          continue;
        }
        if (!eventAllowed(p, name)) return reply('-ERR permission denied');
        valid += ctx.state.subscription.add([name]);
        if (name === 'CUSTOM') custom = true;
      }
    }
    if (valid === 0) return reply('-ERR no keywords supplied');
    ctx.state.listening = true;
    return reply(`+OK event listener enabled ${ctx.state.format}`);
  },
};
