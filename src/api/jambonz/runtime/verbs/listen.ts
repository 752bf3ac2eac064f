/**
 * `listen` (and its synonym `stream`, normalized before it gets here): forks the call's audio to a
 * WebSocket and plays what comes back (specs/jambonz.md §3.A, §3.C; listen/ holds the protocol). The
 * verb runs until the app sends `disconnect` or closes the socket, `finishOnKey` is pressed,
 * `maxLength` passes, or the verb is killed; then the actionHook gets `dial_call_duration` (s) and,
 * with finishOnKey, `digits` (§2.4). A socket that cannot be reached ends the verb with a
 * `jambonz:error`, and the actionHook still runs, so the app goes on.
 */
import { listenOptionsFor, startFork } from '../listen/index.ts';
import { hookOf, type VerbContext, type VerbHandler } from './verb.ts';

export const listen: VerbHandler = {
  name: 'listen',
  precondition: 'endpoint',
  async exec(ctx: VerbContext): Promise<void> {
    const s = ctx.services;
    const options = listenOptionsFor(s, ctx.verb);
    if (!options || ctx.signal.aborted) return;
    const fork = await startFork(s, options, false);
    const onAbort = (): void => fork.stop(s.channel.ended ? 'hangup' : 'stopped');
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
    const end = await fork.ended;
    ctx.signal.removeEventListener('abort', onAbort);
    if (end.reason === 'connect-failed') {
      s.notifyError({ msg: 'listen failed', details: `audio socket ${options.url}: ${end.error ?? 'unusable'}` }, ctx.verb);
    }
    if (end.reason === 'stopped') return;
    const results: Record<string, unknown> = { dial_call_duration: Math.round(end.durationMs / 1000) };
    if (options.finishOnKey !== undefined) results['digits'] = end.digits;
    await s.performAction(hookOf(ctx.verb['actionHook']), results, ctx.verb);
  },
};
