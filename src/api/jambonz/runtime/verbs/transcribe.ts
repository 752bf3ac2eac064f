/**
 * `transcribe` (specs/jambonz.md §3.A transcribe, §2.4 transcriptionHook): transcribes the caller in
 * the background (transcribe/ holds the work) and runs until it is killed (the app replaced, the call
 * ended) or its recognizer fails; each final result, and each interim one with `recognizer.interim`,
 * goes to `transcriptionHook` as `{speech}`. A recognizer error is a `jambonz:error`; the app goes on
 * with its next verb. Replies of the transcriptionHook are not used (a difference, docs/compat).
 */
import { transcribeRequestOf, Transcription } from '../transcribe/index.ts';
import { aborted, type VerbContext, type VerbHandler } from './verb.ts';

export const transcribe: VerbHandler = {
  name: 'transcribe',
  precondition: 'endpoint',
  async exec(ctx: VerbContext): Promise<void> {
    const s = ctx.services;
    const parsed = transcribeRequestOf(ctx.verb, s.settings.recognizer);
    if (!parsed.ok) {
      s.notifyError({ msg: 'invalid verb', details: parsed.error }, ctx.verb);
      return;
    }
    if (ctx.signal.aborted || s.channel.ended) return;
    const t = new Transcription(s, { hook: parsed.request.hook, settings: parsed.request.settings, legs: [{ channel: s.channel, tag: 1 }], verb: ctx.verb });
    if (!t.start()) return;
    await Promise.race([t.ended, aborted(ctx.signal)]);
    t.stop();
  },
};
