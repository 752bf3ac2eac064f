/**
 * `userauth <user>@<domain>:<password>` (specs/esl.md §2.2 userauth, §0 reply): checks the user
 * directory (`esl-password`); success is the raw reply `+OK accepted` with Allowed-Events, Allowed-API and
 * Allowed-LOG headers, and the connection keeps those permissions; failure `-ERR invalid` then close.
 */
import { userauthReplyFrame } from '../framing.ts';
import { authenticate, parseUserauth } from '../user-directory.ts';
import { reply, type CommandHandler } from './command.ts';

export const userauth: CommandHandler = {
  name: 'userauth',
  preAuth: true,
  exec(ctx) {
    if (ctx.state.authed) return reply('-ERR command not found');
    const parts = parseUserauth(ctx.arg);
    const permissions = parts && authenticate(ctx.services.directory, parts.user, parts.domain, parts.password);
    if (!permissions) {
      ctx.services.log.warn({ peer: ctx.peer, user: parts ? `${parts.user}@${parts.domain}` : undefined }, 'event socket userauth failed');
      return reply('-ERR invalid', { close: true });
    }
    ctx.state.authed = true;
    ctx.state.permissions = permissions;
    ctx.services.log.info({ peer: ctx.peer, user: `${parts!.user}@${parts!.domain}` }, 'event socket userauth accepted');
    return { kind: 'frame', data: userauthReplyFrame(permissions.eventsText, permissions.apiText, permissions.log) };
  },
};
