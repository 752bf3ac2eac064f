/**
 * Dial `anchorMedia` / `exitMediaPath` (specs/jambonz.md §3.A dial): with `exitMediaPath: true` the media
 * of the bridged call is released from the server once the parties are connected (they exchange RTP
 * directly, core Bridge.setMediaPath). Media stays anchored (the default here) when `anchorMedia` is
 * true or the dial needs it while bridged: dtmfCapture, a nested listen / stream / transcribe, dub
 * tracks or boostAudioSignal. A release the legs cannot do is logged and the call goes on anchored.
 */
import type { Logger } from '../../../../lib/index.ts';
import type { Bridge } from '../../../../core/index.ts';
import { asBoolean, type VerbData } from '../verb-data.ts';

/** Why the dial keeps its media in the server even with exitMediaPath; undefined: it may leave. */
export function mediaNeededBy(verb: VerbData): string | undefined {
  if (asBoolean(verb['anchorMedia']) === true) return 'anchorMedia';
  for (const key of ['dtmfCapture', 'listen', 'stream', 'transcribe', 'dub', 'boostAudioSignal'] as const) {
    const v = verb[key];
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) return key;
  }
  return undefined;
}

/** Releases the bridged call's media when the verb asks for it (exitMediaPath) and nothing needs it. */
export function exitMediaPathAfterBridge(bridge: Bridge, verb: VerbData, log: Logger): void {
  if (asBoolean(verb['exitMediaPath']) !== true) return;
  const needed = mediaNeededBy(verb);
  if (needed) {
    log.info({ needed }, 'dial: exitMediaPath ignored, the dial needs the media');
    return;
  }
  void bridge.setMediaPath('bypassed').then((r) => {
    if (r.ok) log.info({ bridge: bridge.id }, 'dial: media released (exitMediaPath)');
    else log.warn({ err: r.error.message, code: r.error.code }, 'dial: exitMediaPath failed; media stays anchored');
  });
}
