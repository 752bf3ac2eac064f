/**
 * `dial.dub` (specs/jambonz.md §3.A dial, dub): each entry is a dub action (addTrack, playOnTrack ...)
 * applied to the caller's leg once the legs are bridged, so the caller hears the tracks mixed over the
 * callee. Tracks stay until removed or the call ends, as with the `dub` verb. A bad entry or a failed
 * action sends `jambonz:error` and the dial goes on.
 */
import { errorMessage } from '../../../../lib/index.ts';
import type { VerbData } from '../verb-data.ts';
import { dubRequestOf } from '../verbs/dub-request.ts';
import { applyDub } from '../verbs/dub-tracks.ts';
import type { VerbServices } from '../verbs/verb.ts';

export function startDialDub(s: VerbServices, verb: VerbData): void {
  const entries = verb['dub'];
  if (!Array.isArray(entries)) return;
  void (async () => {
    // In order: a playOnTrack needs the addTrack before it.
    for (const entry of entries) {
      const parsed = dubRequestOf(entry);
      if (!parsed.ok) {
        s.notifyError({ msg: 'invalid verb', details: `dial.dub: ${parsed.error}` }, verb);
        continue;
      }
      try {
        await applyDub(s, parsed.request, { ...(entry as Record<string, unknown>), verb: 'dub' });
      } catch (err) {
        s.log.warn({ err: errorMessage(err) }, 'dial: dub failed');
        s.notifyError({ msg: 'dub failed', details: errorMessage(err) }, verb);
      }
    }
  })();
}
