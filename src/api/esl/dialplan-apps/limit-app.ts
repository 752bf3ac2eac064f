/**
 * `limit <backend> <realm> <resource> [<max>[/<interval>]] [<transfer_dest> [<dialplan> [<context>]]]`
 * (specs/esl.md §6; FreeSWITCH mod_dptools limit with the mod_hash backend). Only the `hash` backend
 * exists (in memory, limit-counters.ts); others answer `-ERR`. The channel takes the resource and sets
 * `limit_usage`, `limit_usage_<realm>_<resource>` (and `limit_rate`, `limit_rate_<realm>_<resource>`
 * with an interval), plus `limit_realm`, `limit_id`, `limit_max`. Over the limit: the call is
 * transferred to `<transfer_dest>` (default `limit_exceeded`), or hung up with the cause after `!`
 * (`!USER_BUSY`). Holds are released at hangup.
 */
import { parseHangupCause } from '../../../core/index.ts';
import type { AppFn } from '../apps.ts';
import type { LimitCounters } from '../limit-counters.ts';
import { transferApp } from './control-apps.ts';

export const LIMIT_DEFAULT_DESTINATION = 'limit_exceeded';

export interface LimitArgs {
  backend: string;
  realm: string;
  resource: string;
  /** -1: no limit. */
  max: number;
  intervalSecs: number;
  destination: string;
  dialplan?: string;
  context?: string;
}

/** Parses the limit argument; undefined without backend, realm and resource. */
export function parseLimitArg(arg: string): LimitArgs | undefined {
  const [backend, realm, resource, maxText, destination, dialplan, context] = arg.trim().split(/\s+/).filter((w) => w !== '');
  if (backend === undefined || realm === undefined || resource === undefined) return undefined;
  let max = -1;
  let intervalSecs = 0;
  if (maxText !== undefined) {
    const m = /^(-?\d+)(?:\/(\d+))?$/.exec(maxText);
    if (!m) return undefined;
    max = Number(m[1]);
    intervalSecs = m[2] === undefined ? 0 : Number(m[2]);
  }
  return {
    backend: backend.toLowerCase(), realm, resource, max, intervalSecs, destination: destination ?? LIMIT_DEFAULT_DESTINATION,
    ...(dialplan === undefined ? {} : { dialplan }), ...(context === undefined ? {} : { context }),
  };
}

export function limitApp(counters: LimitCounters): AppFn {
  const released = new WeakSet<object>();
  return async (ch, arg, runner, ctx) => {
    const parsed = parseLimitArg(arg);
    if (!parsed) {
      ch.log.warn({ arg }, 'limit: usage: <backend> <realm> <resource> [<max>[/<interval>]] [<transfer_dest>]');
      return '-ERR';
    }
    if (parsed.backend !== 'hash') {
      ch.log.warn({ backend: parsed.backend }, 'limit: unknown backend (only hash exists)');
      return '-ERR';
    }
    const key = `${parsed.realm}_${parsed.resource}`;
    const hit = counters.acquire(key, ch.uuid, parsed.max, parsed.intervalSecs);
    if (!released.has(ch)) {
      released.add(ch);
      ch.on('hangup', () => counters.releaseAll(ch.uuid));
    }
    ch.setVariables({
      limit_realm: parsed.realm, limit_id: parsed.resource, limit_max: String(parsed.max),
      limit_usage: String(hit.usage), [`limit_usage_${key}`]: String(hit.usage),
      ...(parsed.intervalSecs > 0 ? { limit_rate: String(hit.rate), [`limit_rate_${key}`]: String(hit.rate) } : {}),
    });
    if (hit.ok) return '_none_';
    ch.log.info({ realm: parsed.realm, resource: parsed.resource, max: parsed.max }, 'limit: over the limit');
    if (parsed.destination.startsWith('!')) {
      await ch.hangup(parseHangupCause(parsed.destination.slice(1)) ?? 'USER_BUSY');
      return '_none_';
    }
    const dest = [parsed.destination, parsed.dialplan, parsed.context].filter((w) => w !== undefined).join(' ');
    return transferApp(ch, dest, runner, ctx);
  };
}
