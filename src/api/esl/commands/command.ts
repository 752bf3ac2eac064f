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

export interface ListenerState {
  authed: boolean;
  format: EventFormat;
  /** `event` was accepted at least once (noevents answers -ERR otherwise). */
  listening: boolean;
  readonly subscription: Subscription;
  readonly filters: Filter[];
  /** The channel bound with `myevents <uuid>`. */
  boundUuid?: string;
  /** Linger seconds (-1 = forever) once `linger` was sent; undefined = no linger. */
  linger?: number;
  divert: boolean;
  /** Log level of `log`, undefined when not logging. */
  logLevel?: number;
}

export interface EslServices {
  sw: Switch;
  hub: EventHub;
  apps: AppRunner;
  api: ApiContext;
  password: string;
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
