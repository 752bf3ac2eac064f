/**
 * `bgapi <command> [<args>]` (specs/esl.md §2.2 bgapi): replies at once `+OK Job-UUID: <u>` plus a
 * Job-UUID header (the request's Job-UUID header, any case, chooses the id); when the API is done a
 * BACKGROUND_JOB event carries Job-UUID, Job-Owner-UUID (session-bound sockets), Job-Command,
 * Job-Command-Arg (when given) and the output as body (empty output: empty body).
 */
import { uuid } from '../../../lib/index.ts';
import type { EventHeader } from '../esl-event.ts';
import { headerValue } from '../framing.ts';
import { runApi, splitApiLine } from '../api-commands/index.ts';
import { fireApiEvent } from './api.ts';
import { apiAllowed } from '../user-directory.ts';
import { reply, type CommandHandler } from './command.ts';

export const bgapi: CommandHandler = {
  name: 'bgapi',
  exec(ctx) {
    const jobUuid = headerValue(ctx.command.headers, 'job-uuid')?.trim() || uuid();
    const { command, args } = splitApiLine(ctx.arg);
    const p = ctx.state.permissions;
    if (p && !apiAllowed(p, command, args)) return reply('-ERR permission denied');
    const owner = ctx.state.boundUuid;
    const { services } = ctx;
    setImmediate(() => {
      fireApiEvent(services, command, args);
      void runApi(command, args, services.api, services.log).then((out) => {
        const headers: EventHeader[] = [['Job-UUID', jobUuid]];
        if (owner !== undefined) headers.push(['Job-Owner-UUID', owner]);
        headers.push(['Job-Command', command]);
        if (args !== '') headers.push(['Job-Command-Arg', args]);
        services.hub.fire({ name: 'BACKGROUND_JOB', origin: ['switchboard', 'api_exec', 0], headers, body: out });
      });
    });
    return reply(`+OK Job-UUID: ${jobUuid}`, { headers: [['Job-UUID', jobUuid]] });
  },
};
