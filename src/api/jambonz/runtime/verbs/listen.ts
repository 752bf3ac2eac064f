/**
 * `listen` (and its synonym `stream`, normalized before it gets here): forks the call's audio to a
 * WebSocket and plays what comes back (specs/jambonz.md §3.A, §3.C; listen/ holds the protocol). The
 * verb runs until the app sends `disconnect` or closes the socket, `finishOnKey` is pressed,
 * `maxLength` passes, or the verb is killed; then the actionHook gets `dial_call_duration` (s) and,
 * with finishOnKey, `digits` (§2.4). A socket that cannot be reached ends the verb with a
 * `jambonz:error`, and the actionHook still runs, so the app goes on.
 *
 * A nested `transcribe` transcribes the caller while the verb runs (the original's listen task starts
 * its nested transcribe task on the same endpoint and kills it when the listen ends); its
 * transcriptionHook gets results as the transcribe verb's does. `timeout` is accepted and, as in the
 * original (which only names it in a log line), has no effect.
 */
import { listenOptionsFor, startFork } from '../listen/index.ts';
import { Transcription, transcribeRequestOf } from '../transcribe/index.ts';
import { asRecord } from '../verb-data.ts';
import { hookOf, type VerbContext, type VerbHandler, type VerbServices } from './verb.ts';

/** Starts the nested `transcribe` of a listen verb, if any; returns its stop. */
function nestedTranscribe(s: VerbServices, data: Record<string, unknown>): () => void {
  const parsed = transcribeRequestOf(data, s.settings.recognizer);
  if (!parsed.ok) {
    s.notifyError({ msg: 'invalid verb', details: `listen.transcribe: ${parsed.error}` }, { ...data, verb: 'transcribe' });
    return () => {};
  }
  const t = new Transcription(s, { hook: parsed.request.hook, settings: parsed.request.settings, legs: [{ channel: s.channel, tag: 1 }], verb: { ...data, verb: 'transcribe' } });
  t.start();
  return () => t.stop();
}

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
    const transcribe = asRecord(ctx.verb['transcribe']);
    const stopTranscribe = transcribe && !ctx.signal.aborted ? nestedTranscribe(s, transcribe) : undefined;
    const end = await fork.ended;
    stopTranscribe?.();
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
