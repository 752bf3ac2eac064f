/** `noevents` (specs/esl.md §2.2): clears subscriptions; `-ERR not listening for events` when none. */
import { reply, type CommandHandler } from './command.ts';

export const noevents: CommandHandler = {
  name: 'noevents',
  exec(ctx) {
    if (!ctx.state.listening) return reply('-ERR not listening for events');
    ctx.state.listening = false;
    ctx.state.subscription.clear();
    return reply('+OK no longer listening for events');
  },
};
