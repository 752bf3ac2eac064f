/**
 * The user directory of `userauth <user>@<domain>:<password>` (specs/esl.md §2.2 userauth, §10 least
 * privilege): users from configuration with FreeSWITCH's directory params, domain params first and the
 * user's winning: `esl-password` (required), `esl-allowed-events` (comma or space list, `ALL`, `CUSTOM`
 * makes the following tokens subclass names), `esl-allowed-api` (API names), `esl-allowed-log`
 * (default true). The API check looks through the wrappers bgapi, sched_api, eval, expand and xml_wrap:
 * the wrapper and the command it runs must both be allowed. Pure.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { canonicalEventName } from './event-names.ts';

export interface EslUser {
  /** The user id (`1000`, `ops`). */
  user: string;
  /** The domain; absent: any domain. */
  domain?: string;
  /** Directory params: `esl-password`, `esl-allowed-events`, `esl-allowed-api`, `esl-allowed-log`. */
  params: Readonly<Record<string, string>>;
}

export interface EslDirectory {
  users: readonly EslUser[];
  /** Params per domain, overridden by the user's. */
  domains?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** What a userauth connection may do; undefined fields: everything. */
export interface EslPermissions {
  /** Allowed event names (canonical); undefined: all. */
  events?: ReadonlySet<string>;
  /** Allowed CUSTOM subclasses (when events is restricted). */
  subclasses?: ReadonlySet<string>;
  /** Allowed API names (lowercase); undefined: all. */
  api?: ReadonlySet<string>;
  log: boolean;
  /** For the reply headers: the raw lists, or `all`. */
  eventsText: string;
  apiText: string;
}

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a === b;
}

/** `user@domain:password` -> parts; the password may hold colons. */
export function parseUserauth(arg: string): { user: string; domain: string; password: string } | undefined {
  const at = arg.indexOf('@');
  if (at <= 0) return undefined;
  const colon = arg.indexOf(':', at);
  if (colon < 0) return undefined;
  const domain = arg.slice(at + 1, colon);
  if (domain === '') return undefined;
  return { user: arg.slice(0, at), domain, password: arg.slice(colon + 1) };
}

function tokens(text: string): string[] {
  return text.split(/[\s,]+/).filter((t) => t !== '');
}

/** The permissions a param set grants. */
export function permissionsOf(params: Readonly<Record<string, string>>): EslPermissions {
  const eventsText = params['esl-allowed-events'];
  const apiText = params['esl-allowed-api'];
  const logText = params['esl-allowed-log'];
  const out: EslPermissions = {
    log: logText === undefined ? true : /^(true|yes|on|1|enabled|active|allow)$/i.test(logText.trim()),
    eventsText: eventsText?.trim() || 'all',
    apiText: apiText?.trim() || 'all',
  };
  if (eventsText !== undefined && eventsText.trim() !== '') {
    const events = new Set<string>();
    const subclasses = new Set<string>();
    let all = false;
    let custom = false;
    for (const t of tokens(eventsText)) {
      if (custom) {
        subclasses.add(t);
        continue;
      }
      const name = canonicalEventName(t);
      if (name === 'ALL') all = true;
      else if (name !== undefined) events.add(name);
      if (name === 'CUSTOM') custom = true;
    }
    if (!all) {
      out.events = events;
      out.subclasses = subclasses;
    }
  }
  if (apiText !== undefined && apiText.trim() !== '') {
    const api = new Set(tokens(apiText).map((t) => t.toLowerCase()));
    if (!api.has('all')) out.api = api;
  }
  return out;
}

/** Checks a userauth attempt; the permissions, or undefined (unknown user, no esl-password, wrong password). */
export function authenticate(directory: EslDirectory, user: string, domain: string, password: string): EslPermissions | undefined {
  const entry = directory.users.find((u) => u.user === user && (u.domain === undefined || u.domain === domain));
  if (!entry) return undefined;
  const params = { ...(directory.domains?.[domain] ?? {}), ...entry.params };
  const secret = params['esl-password'];
  if (secret === undefined || secret === '' || !sameSecret(password, secret)) return undefined;
  return permissionsOf(params);
}

const WRAPPERS = new Set(['bgapi', 'sched_api', 'eval', 'expand', 'xml_wrap']);
const MAX_DEPTH = 8;

function nextCommand(wrapper: string, args: string): [string, string] {
  let rest = args.trim();
  if (wrapper === 'sched_api') rest = rest.split(/\s+/).slice(2).join(' ');
  if (wrapper === 'eval' || wrapper === 'expand') rest = rest.replace(/^uuid:\S+\s+/, '');
  const i = rest.indexOf(' ');
  return i < 0 ? [rest, ''] : [rest.slice(0, i), rest.slice(i + 1)];
}

/** Whether an API call (and what it wraps) is allowed. */
export function apiAllowed(p: EslPermissions, command: string, args: string): boolean {
  if (p.api === undefined) return true;
  let cmd = command.toLowerCase();
  let rest = args;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (!p.api.has(cmd)) return false;
    if (!WRAPPERS.has(cmd)) return true;
    const [next, nextArgs] = nextCommand(cmd, rest);
    if (next === '') return true;
    cmd = next.replace(/&$/, '').toLowerCase();
    rest = nextArgs;
  }
  return false;
}

/** Whether an event name (canonical; CUSTOM with its subclass) may be subscribed to or delivered. */
export function eventAllowed(p: EslPermissions, name: string, subclass?: string): boolean {
  if (p.events === undefined) return true;
  if (name === 'CUSTOM' && subclass !== undefined && subclass !== '') return p.subclasses?.has(subclass) ?? false;
  return p.events.has(name);
}
