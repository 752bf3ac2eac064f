/** API `uuid_exists <uuid>` (specs/esl.md §5): `true` / `false`, no newline. */
import type { ApiCommand } from './api-command.ts';

export const uuidExists: ApiCommand = {
  name: 'uuid_exists',
  usage: '<uuid>',
  exec: (args, ctx) => (ctx.sw.channel(args.trim()) ? 'true' : 'false'),
};
