/**
 * `api <command> [<args>]` (specs/esl.md §2.2 api): runs synchronously, answers with api/response (no
 * command/reply); an API that wrote nothing gives `-ERR no reply\n`. Fires the API event (§1.7). An API
 * a userauth connection may not run: command/reply `-ERR permission denied`.
 */
import { apiResponseFrame } from '../framing.ts';
import { runApi, splitApiLine } from '../api-commands/index.ts';
import { apiAllowed } from '../user-directory.ts';
import { reply, type CommandHandler, type EslServices } from './command.ts';

export function fireApiEvent(services: EslServices, command: string, args: string): void {
  services.hub.fire({
    name: 'API', origin: ['switchboard', 'api_exec', 0],
    headers: args === '' ? [['API-Command', command]] : [['API-Command', command], ['API-Command-Argument', args]],
  });
}

export const api: CommandHandler = {
  name: 'api',
  async exec(ctx) {
    const { command, args } = splitApiLine(ctx.arg);
    const p = ctx.state.permissions;
    if (p && !apiAllowed(p, command, args)) return reply('-ERR permission denied');
    fireApiEvent(ctx.services, command, args);
    const out = await runApi(command, args, ctx.services.api, ctx.services.log);
    return { kind: 'frame', data: apiResponseFrame(out === '' ? '-ERR no reply\n' : out) };
  },
};
