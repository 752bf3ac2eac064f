/**
 * Routing maps an inbound call to the application handler an API registered (a jambonz application,
 * an ESL outbound socket, a built-in dialplan, a user to ring), the way a FreeSWITCH dialplan picks an
 * extension by destination_number conditions. A rule matches on the called number (exact), a pattern
 * (dial pattern or RegExp, see dial-pattern.ts), the calling SIP user, or any combination (all must
 * hold); `default: true` catches what nothing else matched. Rules are tried by priority (higher first),
 * then specificity (number, then pattern, then user), then registration order.
 */
import type { Logger } from '../lib/index.ts';
import type { Channel } from './channel.ts';
import { CoreError } from './core-error.ts';
import { compileDialPattern } from './dial-pattern.ts';

export interface RouteRule {
  /** Shown in logs and the route context. */
  name?: string;
  /** Higher runs first (default 0). */
  priority?: number;
  /** The called number, exactly. */
  number?: string;
  /** A dial pattern (`_1XXX`, `9.`) or a RegExp tested against the called number. */
  pattern?: string | RegExp;
  /** The authenticated (or From) user of the caller. */
  user?: string;
  /** Matches any call; tried only when no other rule matched. */
  default?: boolean;
}

export interface RouteInput {
  destination: string;
  user?: string;
}

export interface RouteContext {
  destination: string;
  user?: string;
  rule: { name: string; priority: number };
  /** RegExp capture groups of a pattern rule (index 0 is the whole match); empty otherwise. */
  captures: readonly string[];
  log: Logger;
}

export type RouteHandler = (channel: Channel, ctx: RouteContext) => void | Promise<void>;

export interface RouteMatch {
  handler: RouteHandler;
  rule: { name: string; priority: number };
  captures: readonly string[];
}

interface Entry {
  seq: number;
  name: string;
  priority: number;
  specificity: number;
  isDefault: boolean;
  number?: string;
  regex?: RegExp;
  user?: string;
  handler: RouteHandler;
}

function compile(rule: RouteRule, seq: number, handler: RouteHandler): Entry {
  const conditions = [rule.number, rule.pattern, rule.user].filter((c) => c !== undefined).length;
  if (rule.default === true && conditions > 0) {
    throw new CoreError('CORE_ROUTE_INVALID', 'a default rule takes no number, pattern or user');
  }
  if (rule.default !== true && conditions === 0) {
    throw new CoreError('CORE_ROUTE_INVALID', 'a rule needs a number, pattern or user (or default: true)');
  }
  const priority = rule.priority ?? 0;
  if (!Number.isFinite(priority)) throw new CoreError('CORE_ROUTE_INVALID', `bad priority ${priority}`);
  let regex: RegExp | undefined;
  if (rule.pattern instanceof RegExp) {
    // Drop stateful flags so test() gives the same answer every time.
    regex = new RegExp(rule.pattern.source, rule.pattern.flags.replace(/[gy]/g, ''));
  } else if (rule.pattern !== undefined) {
    regex = compileDialPattern(rule.pattern);
  }
  const entry: Entry = {
    seq,
    name: rule.name ?? (rule.default ? 'default' : String(rule.number ?? rule.pattern ?? `user:${rule.user}`)),
    priority,
    specificity: (rule.number !== undefined ? 4 : 0) + (regex ? 2 : 0) + (rule.user !== undefined ? 1 : 0),
    isDefault: rule.default === true,
    handler,
  };
  if (rule.number !== undefined) entry.number = rule.number;
  if (regex) entry.regex = regex;
  if (rule.user !== undefined) entry.user = rule.user;
  return entry;
}

function order(a: Entry, b: Entry): number {
  return b.priority - a.priority || b.specificity - a.specificity || a.seq - b.seq;
}

export class Router {
  #entries: Entry[] = [];
  #defaults: Entry[] = [];
  #seq = 0;

  get size(): number {
    return this.#entries.length + this.#defaults.length;
  }

  /** Adds a rule; returns the function that removes it. */
  register(rule: RouteRule, handler: RouteHandler): () => void {
    const entry = compile(rule, this.#seq++, handler);
    const list = entry.isDefault ? this.#defaults : this.#entries;
    list.push(entry);
    list.sort(order);
    return () => {
      const i = list.indexOf(entry);
      if (i >= 0) list.splice(i, 1);
    };
  }

  /** The first rule matching the call, if any. */
  match(input: RouteInput): RouteMatch | undefined {
    for (const e of this.#entries) {
      if (e.number !== undefined && e.number !== input.destination) continue;
      if (e.user !== undefined && e.user !== input.user) continue;
      let captures: string[] = [];
      if (e.regex) {
        const m = e.regex.exec(input.destination);
        if (!m) continue;
        captures = m.map((g) => g ?? '');
      }
      return { handler: e.handler, rule: { name: e.name, priority: e.priority }, captures };
    }
    const d = this.#defaults[0];
    return d ? { handler: d.handler, rule: { name: d.name, priority: d.priority }, captures: [] } : undefined;
  }

  clear(): void {
    this.#entries = [];
    this.#defaults = [];
  }
}
