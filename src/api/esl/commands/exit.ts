/** `exit` (alias `...`) (specs/esl.md §2.2): `+OK bye`, disconnect-notice, close. */
import { reply, type CommandHandler } from './command.ts';

export const exit: CommandHandler = {
  name: 'exit',
  preAuth: true,
  exec: () => reply('+OK bye', { close: true }),
};
