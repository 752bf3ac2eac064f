/**
 * One run of the `enqueue` verb (specs/jambonz.md §3.A enqueue, §2.4): the call waits in the named
 * queue of its account (core QueueRegistry; `priority` 0-999, lower first, default 999). Meanwhile the
 * `waitHook` is called with `queue_sid, queue_time, queue_size, queue_position` (0-based) and its reply
 * (say / play / pause / leave / tag) is played, round after round; `leave` takes the call out. When a
 * `dequeue` takes the call it is bridged to the dequeuing call until either side ends. The actionHook
 * gets `queue_sid`, `queue_time` (seconds waited) and `queue_result` bridged / leave / error (none when
 * the caller hung up).
 */
import type { QueueOutcome } from '../../../../core/index.ts';
import { asNumber, asString } from '../verb-data.ts';
import { hookOf, sleep, type VerbContext } from '../verbs/verb.ts';
import type { ConnectServices } from '../dial/connect-services.ts';
import { fetchVerbs, runNested } from '../dial/nested-verbs.ts';
import { untilUnbridged } from './bridge-wait.ts';
import { queueKey, queueSid } from './queue-names.ts';

const MAX_WAIT_ROUNDS = 100_000;
const MIN_ROUND_MS = 1000;

export async function runEnqueue(ctx: VerbContext, c: ConnectServices): Promise<void> {
  const s = ctx.services;
  const verb = ctx.verb;
  const name = asString(verb['name']);
  if (!name) {
    s.notifyError({ msg: 'invalid verb', details: 'enqueue: name is required' }, verb);
    return;
  }
  const ch = s.channel;
  const sid = queueSid(c.account.account_sid, name);
  const priority = Math.min(999, Math.max(0, Math.floor(asNumber(verb['priority']) ?? 999)));
  const ticket = c.sw.queues.enqueue(queueKey(c.account.account_sid, name), ch, priority);
  if (!ticket) {
    await s.performAction(hookOf(verb['actionHook']), { queue_sid: sid, queue_time: 0, queue_result: 'error' }, verb);
    return;
  }
  ctx.log.info({ queue: name, priority, position: ticket.position }, 'enqueue: waiting');
  const waiting = new AbortController();
  let outcome: QueueOutcome | undefined;
  void ticket.outcome.then((o) => {
    outcome = o;
    waiting.abort();
  });
  const onKill = (): void => ticket.leave('leave');
  ctx.signal.addEventListener('abort', onKill, { once: true });
  const queueTime = (): number => Math.round((c.sw.now() - ticket.enqueuedAt) / 1000);
  try {
    const waitHook = hookOf(verb['waitHook']);
    for (let round = 0; round < MAX_WAIT_ROUNDS && !waiting.signal.aborted; round++) {
      if (!waitHook) {
        await ticket.outcome;
        break;
      }
      const roundStart = s.clock.now();
      const verbs = await fetchVerbs(s, c, waitHook, {
        queue_sid: sid, queue_time: queueTime(), queue_size: ticket.queue.size, queue_position: ticket.position,
      });
      if (waiting.signal.aborted) break;
      const r = await runNested(s, c, verbs, waiting.signal);
      if (r === 'leave') {
        ticket.leave('leave');
        break;
      }
      // A round is at least a second long, so an empty or failing reply does not spin on the hook.
      const rest = MIN_ROUND_MS - (s.clock.now() - roundStart);
      if (rest > 0) await sleep(s.clock, rest, waiting.signal);
    }
    const result = outcome ?? (await ticket.outcome);
    if (ctx.signal.aborted) return;
    let queueResult: string = result.reason;
    if (result.reason === 'bridged') {
      if (!c.sw.bridgeOf(ch.uuid)) queueResult = 'error';
      else await untilUnbridged(c.sw, ch, ctx.signal);
    }
    ctx.log.info({ queue: name, result: queueResult }, 'enqueue: done');
    if (ch.ended || ctx.signal.aborted || result.reason === 'hangup' || result.reason === 'shutdown') return;
    await s.performAction(hookOf(verb['actionHook']), { queue_sid: sid, queue_time: queueTime(), queue_result: queueResult }, verb);
  } finally {
    ctx.signal.removeEventListener('abort', onKill);
  }
}
