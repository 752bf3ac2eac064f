/**
 * `auth <password>` (specs/esl.md §2.2, §1.4): exact, case-sensitive, trailing spaces count; success
 * `+OK accepted`, failure `-ERR invalid` then disconnect-notice and close. Compared in constant time.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { reply, type CommandHandler } from './command.ts';

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a === b;
}

export const auth: CommandHandler = {
  name: 'auth',
  preAuth: true,
  exec(ctx) {
    if (ctx.state.authed) return reply('-ERR command not found');
    if (!sameSecret(ctx.arg, ctx.services.password)) {
      ctx.services.log.warn({ peer: ctx.peer }, 'event socket authentication failed');
      return reply('-ERR invalid', { close: true });
    }
    ctx.state.authed = true;
    return reply('+OK accepted');
  },
};
