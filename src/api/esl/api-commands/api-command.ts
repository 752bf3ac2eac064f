/**
 * The shape of an API command run by `api` / `bgapi` (specs/esl.md §2.2 api, §5): data plus a handler.
 * The handler returns the exact output bytes, or undefined for "failed" (the socket then answers
 * `-ERR <cmd> Command not found!`).
 */
import type { Recording, Switch } from '../../../core/index.ts';
import type { AppRunner } from '../apps.ts';
import type { EventHub } from '../event-hub.ts';
import type { RegistrationBook } from '../registrations.ts';
import type { LogLevelControl } from '../log-level.ts';
import type { ApiScheduler } from './api-scheduler.ts';
import type { CoreSettings } from './core-settings.ts';

/** A SIP profile as `sofia status` lists it. */
export interface SofiaProfile {
  name: string;
  /** `sip:mod_sofia@127.0.0.1:5060`. */
  url: string;
}

export interface ApiContext {
  sw: Switch;
  hub: EventHub;
  apps: AppRunner;
  /** Global variables (global_getvar / global_setvar). */
  globals: Map<string, string>;
  /** `1.10.12-release`-style version and the git-like part printed in parentheses. */
  version: { number: string; full: string; revision: string };
  maxSessions: number;
  /** Runs another API line (sched_api, expand): the output, or the not-found text. */
  run(command: string, args: string): Promise<string>;
  scheduler: ApiScheduler;
  /** Recordings started by uuid_record, by channel uuid and path. */
  recordings: Map<string, Map<string, Recording>>;
  registrations: RegistrationBook;
  /** user_exists: whether the user is known in the domain. */
  userExists(user: string, domain: string): boolean;
  /** `sofia status` profiles. */
  profiles: readonly SofiaProfile[];
  /** The server's log level (`fsctl loglevel`). */
  logLevel: LogLevelControl;
  /** Core settings fsctl reads and sets (debug level, DTMF durations, last_sps ...). */
  settings: CoreSettings;
}

export type ApiOutput = string | undefined;

export interface ApiCommand {
  readonly name: string;
  readonly usage: string;
  exec(args: string, ctx: ApiContext): ApiOutput | Promise<ApiOutput>;
}

export const NO_CHANNEL = '-ERR No such channel!\n';

/** First word and the rest (trimmed). */
export function firstWord(text: string): [string, string] {
  const t = text.trim();
  const i = t.indexOf(' ');
  return i < 0 ? [t, ''] : [t.slice(0, i), t.slice(i + 1).trim()];
}
