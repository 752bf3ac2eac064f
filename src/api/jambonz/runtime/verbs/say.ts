/**
 * `say` (specs/jambonz.md §3.A): text or an array of texts (SSML allowed; audio URLs and
 * `silence_stream://` items are played as they are), synthesized with the verb's `synthesizer` over the
 * session's, `loop` (0 = forever), `earlyMedia`. verb:status `synthesized-audio`, `start-playback`,
 * `stop-playback` / `kill-playback` go out when notifyEvents is on (§8.2).
 */
import { errorMessage } from '../../../../lib/index.ts';
import type { SynthesizerSettings } from '../speech.ts';
import { asBoolean, asRecord, type VerbData } from '../verb-data.ts';
import { MAX_FAILING_LOOPS, isAudioSource, loopsOf, playOnce } from './playback.ts';
import type { VerbContext, VerbHandler, VerbServices } from './verb.ts';

export function textsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((t): t is string => typeof t === 'string');
  return [];
}

/** Turns texts into playable sources; undefined (after notifying the error) when synthesis fails. */
async function sourcesOf(s: VerbServices, verb: VerbData, texts: string[], signal: AbortSignal): Promise<string[] | undefined> {
  const settings: SynthesizerSettings = { ...s.settings.synthesizer, ...(asRecord(verb['synthesizer']) ?? {}) };
  const disableCache = asBoolean(verb['disableTtsCache']) ?? s.settings.disableTtsCache ?? false;
  // Audio at the leg's own rate plays without resampling.
  const sampleRate = s.channel.media?.sampleRate;
  const out: string[] = [];
  for (const text of texts) {
    if (isAudioSource(text)) {
      out.push(text.trim());
      continue;
    }
    if (!s.synthesizer) {
      s.notifyError({ msg: 'TTS error', details: 'no speech synthesizer is configured' }, verb);
      return undefined;
    }
    const started = s.clock.now();
    try {
      const r = await s.synthesizer.synthesize(text, settings, { disableCache, signal, ...(sampleRate ? { sampleRate } : {}) });
      s.notifyStatus({
        event: 'synthesized-audio', vendor: r.vendor, language: r.language ?? settings.language ?? '',
        characters: text.length, elapsed_time: Math.round(s.clock.now() - started), served_from_cache: r.servedFromCache ?? false,
      }, verb);
      out.push(r.source);
    } catch (err) {
      if (signal.aborted) return undefined;
      s.notifyError({ msg: 'TTS error', details: errorMessage(err) }, verb);
      return undefined;
    }
  }
  return out;
}

/** Speaks the verb's text; used by `say` and by gather's nested prompt. */
export async function speak(s: VerbServices, verb: VerbData, signal: AbortSignal): Promise<void> {
  const texts = textsOf(verb['text']);
  if (texts.length === 0) return;
  const sources = await sourcesOf(s, verb, texts, signal);
  if (!sources || signal.aborted) return;
  const loops = loopsOf(verb['loop']);
  let failing = 0;
  for (let i = 0; loops === 0 || i < loops; i++) {
    let played = false;
    for (const source of sources) {
      if (signal.aborted || s.channel.ended) return;
      s.notifyStatus({ event: 'start-playback' }, verb);
      const outcome = await playOnce(s.channel, source, {}, signal);
      if (outcome.status === 'failed') s.log.warn({ source, error: outcome.error }, 'say: playback failed');
      else played = true;
      s.notifyStatus({ event: signal.aborted ? 'kill-playback' : 'stop-playback' }, verb);
    }
    failing = played ? 0 : failing + 1;
    if (failing >= MAX_FAILING_LOOPS) return;
  }
}

export const say: VerbHandler = {
  name: 'say',
  precondition: 'endpoint',
  async exec(ctx: VerbContext): Promise<void> {
    await speak(ctx.services, ctx.verb, ctx.signal);
  },
};
