/** `nixevent <NAME ...> [CUSTOM <subclass ...>]` (specs/esl.md §2.2): `+OK events nixed`. */
import { reply, type CommandHandler } from './command.ts';

export const nixevent: CommandHandler = {
  name: 'nixevent',
  exec(ctx) {
    const valid = ctx.state.subscription.remove(ctx.arg.split(' '));
    return reply(valid === 0 ? '-ERR no keywords supplied' : '+OK events nixed');
  },
};
