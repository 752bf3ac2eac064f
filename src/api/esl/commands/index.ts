/**
 * The command table of the event socket, inbound mode (specs/esl.md §1.4, §2.2). Matching: the first
 * word of the command line, case-insensitive; `exit` also as a prefix and `...` as its alias (§11.10).
 */
import { api } from './api.ts';
import { auth } from './auth.ts';
import { bgapi } from './bgapi.ts';
import type { CommandHandler } from './command.ts';
import { connect } from './connect.ts';
import { event } from './event.ts';
import { exit } from './exit.ts';
import { filter } from './filter.ts';
import { log, nolog } from './log.ts';
import { myevents } from './myevents.ts';
import { nixevent } from './nixevent.ts';
import { noevents } from './noevents.ts';
import { sendevent } from './sendevent.ts';
import { sendmsg } from './sendmsg.ts';
import { divertEvents, getvar, linger, nolinger, resume } from './session.ts';
import { userauth } from './userauth.ts';

export { SINGLE_CHANNEL_COMMANDS, type CommandContext, type CommandHandler, type CommandResult, type EslServices, type ListenerState } from './command.ts';

export const COMMANDS: ReadonlyMap<string, CommandHandler> = new Map([
  auth, userauth, exit, api, bgapi, event, nixevent, noevents, filter, myevents, divertEvents, linger, nolinger,
  getvar, resume, log, nolog, sendevent, sendmsg, connect,
].map((c) => [c.name, c] as const));

/** The handler for a command line and the argument text after the command word. */
export function findCommand(line: string): { handler: CommandHandler; arg: string } | undefined {
  if (line.startsWith('...') || line.toLowerCase().startsWith('exit')) return { handler: exit, arg: '' };
  const space = line.indexOf(' ');
  const word = (space < 0 ? line : line.slice(0, space)).toLowerCase();
  const handler = COMMANDS.get(word);
  if (!handler) return undefined;
  return { handler, arg: space < 0 ? '' : line.slice(space + 1) };
}
