/**
 * The small applications of the connecting verbs' hooks (specs/jambonz.md §2.4): a conference's
 * waitHook and enterHook, an enqueue's waitHook (its reply may hold only say / play / pause / leave /
 * tag). They run on the call itself without touching its verb stack; other verbs are skipped with a log
 * line. Resolves `leave` when a `leave` verb was reached, `done` otherwise (also when aborted).
 */
import type { Hook } from '../../contract.ts';
import type { VerbData } from '../verb-data.ts';
import type { VerbServices } from '../verbs/verb.ts';
import type { ConnectServices } from './connect-services.ts';

export const HOOK_VERBS: readonly string[] = ['say', 'play', 'pause', 'leave', 'tag'];

/** Calls `hook` and returns the verbs of its reply (none when it failed or was not an array). */
export async function fetchVerbs(s: VerbServices, c: ConnectServices, hook: Hook, results: Record<string, unknown>): Promise<VerbData[]> {
  let reply: unknown;
  try {
    reply = await c.request('verb:hook', hook, { ...s.callInfo.toJSON(), ...results });
  } catch (err) {
    s.log.info({ err, hook }, 'hook failed');
    return [];
  }
  if (reply === undefined || reply === null || reply === '' || (Array.isArray(reply) && reply.length === 0)) return [];
  const r = c.validate(reply);
  if (!r.ok) {
    s.notifyError({ msg: 'invalid actionHook response', details: r.error });
    return [];
  }
  return r.verbs;
}

export async function runNested(s: VerbServices, c: ConnectServices, verbs: readonly VerbData[], signal: AbortSignal): Promise<'leave' | 'done'> {
  for (const verb of verbs) {
    if (signal.aborted || s.channel.ended) return 'done';
    if (verb.verb === 'leave') return 'leave';
    const handler = HOOK_VERBS.includes(verb.verb) ? c.verb(verb.verb) : undefined;
    if (!handler) {
      s.log.info({ verb: verb.verb }, 'verb not allowed in this hook reply: skipped');
      continue;
    }
    try {
      await handler.exec({ services: s, verb, signal, log: s.log.child({ verb: verb.verb, nested: true }) });
    } catch (err) {
      s.log.warn({ err, verb: verb.verb }, 'nested verb failed');
    }
  }
  return 'done';
}
