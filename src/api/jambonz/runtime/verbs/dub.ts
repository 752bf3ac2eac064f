/**
 * `dub` (specs/jambonz.md §3.B): adds, removes, silences or plays on tracks of extra audio mixed into
 * what the caller hears (dub-tracks.ts). The verb completes once the action is applied (audio started),
 * not when the audio ends; unusable data or an action the call cannot take is a `jambonz:error`, and the
 * app goes on with its next verb.
 */
import { errorMessage } from '../../../../lib/index.ts';
import { dubRequestOf } from './dub-request.ts';
import { applyDub } from './dub-tracks.ts';
import type { VerbContext, VerbHandler } from './verb.ts';

export const dub: VerbHandler = {
  name: 'dub',
  precondition: 'endpoint',
  async exec(ctx: VerbContext): Promise<void> {
    const s = ctx.services;
    const parsed = dubRequestOf(ctx.verb);
    if (!parsed.ok) {
      s.notifyError({ msg: 'invalid verb', details: parsed.error }, ctx.verb);
      return;
    }
    try {
      await applyDub(s, parsed.request, ctx.verb, ctx.signal);
    } catch (err) {
      ctx.log.warn({ err: errorMessage(err) }, 'dub failed');
      s.notifyError({ msg: 'dub failed', details: errorMessage(err) }, ctx.verb);
    }
  },
};
