/**
 * `userauth <user>@<domain>:<password>` (specs/esl.md §2.2): needs a user directory with esl-password
 * params, which this server does not have yet, so every attempt answers `-ERR invalid` and closes.
 */
import { reply, type CommandHandler } from './command.ts';

export const userauth: CommandHandler = {
  name: 'userauth',
  preAuth: true,
  exec(ctx) {
    if (ctx.state.authed) return reply('-ERR command not found');
    ctx.services.log.warn({ peer: ctx.peer }, 'event socket userauth refused (no user directory)');
    return reply('-ERR invalid', { close: true });
  },
};
