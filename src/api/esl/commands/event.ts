/**
 * `event [plain|json|xml] <NAME ...> [CUSTOM <subclass ...>]` (specs/esl.md §2.2 event, §1.4): additive;
 * the format word alone still switches the format; no valid name -> `-ERR no keywords supplied`.
 */
import type { EventFormat } from '../framing.ts';
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
    const valid = ctx.state.subscription.add(tokens);
    if (valid === 0) return reply('-ERR no keywords supplied');
    ctx.state.listening = true;
    return reply(`+OK event listener enabled ${ctx.state.format}`);
  },
};
