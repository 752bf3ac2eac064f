/**
 * The shape of an event-socket command (specs/esl.md §1.3, §1.4, §2.2): data plus a handler, one per
 * file, registered in the table of commands/index.ts. A handler reads and changes the listener's state
 * and returns what to write: a command/reply (with optional extra headers), or a whole frame (api), and
 * whether the connection ends afterwards (disconnect-notice, then close).
 */
import type { Logger } from '../../../lib/index.ts';
import type { Switch } from '../../../core/index.ts';
import type { ApiContext } from '../api-commands/index.ts';
import type { AppRunner } from '../apps.ts';
import type { EventHub } from '../event-hub.ts';
import type { EslCommand, EventFormat, Header } from '../framing.ts';
import type { Filter, Subscription } from '../subscription.ts';
import type { EslDirectory, EslPermissions } from '../user-directory.ts';
import type { LogTap } from '../log-tap.ts';

export interface ListenerState {
  authed: boolean;
  format: EventFormat;
  /** `event` was accepted at least once (noevents answers -ERR otherwise). */
  listening: boolean;
  readonly subscription: Subscription;
  readonly filters: Filter[];
  /** The channel this socket controls: bound with `myevents <uuid>`, or the outbound socket's own. */
  boundUuid?: string;
  /** `myevents` is on: only the bound channel's events (and its bgapi jobs) pass. */
  myevents?: boolean;
  /** An outbound socket (the `socket` app, specs/esl.md §3): its mode, and whether `connect` was seen. */
  outbound?: { async: boolean; full: boolean; connected: boolean };
  /** Linger seconds (-1 = forever) once `linger` was sent; undefined = no linger. */
  linger?: number;
  divert: boolean;
  /** Log level of `log`, undefined when not logging. */
  logLevel?: number;
  /** What a `userauth` connection may do (undefined: `auth`, everything). */
  permissions?: EslPermissions;
}

export interface EslServices {
  sw: Switch;
  hub: EventHub;
  apps: AppRunner;
  api: ApiContext;
  password: string;
  /** Users for `userauth`. */
  directory: EslDirectory;
  /** The server's log lines, for `log` (log/data frames). */
  logs: LogTap;
  log: Logger;
}

export interface CommandContext {
  readonly state: ListenerState;
  readonly command: EslCommand;
  /** The text after the command word and one space (not trimmed: trailing spaces matter). */
  readonly arg: string;
  readonly services: EslServices;
  /** The peer, for logs. */
  readonly peer: string;
}

export type CommandResult =
  | { kind: 'reply'; text: string; headers?: readonly Header[]; close?: boolean }
  | { kind: 'frame'; data: string; close?: boolean };

/** Commands an outbound socket without `full` accepts (specs/esl.md §3.1); others: -ERR command not found. */
export const SINGLE_CHANNEL_COMMANDS: ReadonlySet<string> = new Set([
  'connect', 'myevents', 'getvar', 'filter', 'divert_events', 'sendmsg', 'resume', 'exit',
]);

export interface CommandHandler {
  /** The command word, lowercase. */
  readonly name: string;
  /** Accepted before authentication. */
  readonly preAuth?: boolean;
  exec(ctx: CommandContext): CommandResult | Promise<CommandResult>;
}

export function reply(text: string, extra: Partial<Omit<Extract<CommandResult, { kind: 'reply' }>, 'kind' | 'text'>> = {}): CommandResult {
  return { kind: 'reply', text, ...extra };
}
