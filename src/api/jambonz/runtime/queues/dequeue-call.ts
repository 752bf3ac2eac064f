/**
 * One run of the `dequeue` verb (specs/jambonz.md §3.A dequeue, §2.4): takes the first call waiting in
 * the named queue of the account (or the one of `callSid`), waiting up to `timeout` seconds (forever
 * when absent) for one to arrive; `beep` plays a short tone to this call first. The two calls are
 * bridged (core `sw.bridge`) until either side ends. The actionHook gets `dequeue_result`: complete
 * (bridged), timeout, or hangup (the caller was gone).
 */
import { asBoolean, asNumber, asString } from '../verb-data.ts';
import { hookOf, sleep, type VerbContext } from '../verbs/verb.ts';
import type { ConnectServices } from '../dial/connect-services.ts';
import { untilUnbridged } from './bridge-wait.ts';
import { queueKey } from './queue-names.ts';

const BEEP = 'tone_stream://%(200,0,800)';
/** How often a dequeue of one specific call looks for it. */
const SPECIFIC_POLL_MS = 250;
const MAX_ROUNDS = 1_000_000;

export async function runDequeue(ctx: VerbContext, c: ConnectServices): Promise<void> {
  const s = ctx.services;
  const verb = ctx.verb;
  const name = asString(verb['name']);
  if (!name) {
    s.notifyError({ msg: 'invalid verb', details: 'dequeue: name is required' }, verb);
    return;
  }
  const ch = s.channel;
  const key = queueKey(c.account.account_sid, name);
  const callSid = asString(verb['callSid']);
  const timeoutSecs = asNumber(verb['timeout']);
  const giveUp = new AbortController();
  const stop = (): void => giveUp.abort();
  ctx.signal.addEventListener('abort', stop, { once: true });
  const timer = timeoutSecs !== undefined && timeoutSecs > 0 ? s.clock.setTimeout(stop, timeoutSecs * 1000) : undefined;
  let result: 'complete' | 'timeout' | 'hangup' = 'timeout';
  try {
    for (let round = 0; round < MAX_ROUNDS && !giveUp.signal.aborted && !ch.ended; round++) {
      const queue = c.sw.queues.get(key);
      if (callSid !== undefined && (!queue || queue.positionOf(callSid) < 0)) {
        await sleep(s.clock, SPECIFIC_POLL_MS, giveUp.signal);
        continue;
      }
      if (!queue || queue.size === 0) {
        await c.sw.queues.queue(key).waitForCall(giveUp.signal);
        continue;
      }
      if (asBoolean(verb['beep'])) await ch.play(BEEP, {}).done;
      const ticket = queue.take(ch, callSid);
      if (!ticket) continue;
      const bridge = c.sw.bridge(ch, ticket.channel, { hangupAfterBridge: false });
      if (!bridge.ok) {
        ctx.log.warn({ err: bridge.error.message }, 'dequeue: bridge failed');
        result = 'hangup';
        break;
      }
      ctx.log.info({ queue: name, caller: ticket.channel.uuid }, 'dequeue: bridged');
      timer?.cancel();
      await untilUnbridged(c.sw, ch, ctx.signal);
      result = 'complete';
      break;
    }
  } finally {
    timer?.cancel();
    ctx.signal.removeEventListener('abort', stop);
  }
  if (ctx.signal.aborted || ch.ended) return;
  await s.performAction(hookOf(verb['actionHook']), { dequeue_result: result }, verb);
}
