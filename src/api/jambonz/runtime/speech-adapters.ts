/**
 * Adapts the speech room's cached synthesizer (TtsCache.file: a WAV file per text and rate, played by
 * channel.play; asked for at the call's rate so playback needs no resampling) to the runtime's Synthesizer. Typed structurally, so the runtime
 * does not depend on the speech room; the composition root passes `new TtsCache(provider, {dir})`.
 */
import type { Synthesizer } from './speech.ts';

export interface TtsFileSource {
  file(request: { text: string; vendor?: string; language?: string; voice?: string; disableCache?: boolean }, options?: { sampleRate?: number }): Promise<{
    path: string;
    speech: { vendor: string; language: string; servedFromCache: boolean };
  }>;
}

export function synthesizerFrom(cache: TtsFileSource): Synthesizer {
  return {
    async synthesize(text, settings, options = {}) {
      const request: Parameters<TtsFileSource['file']>[0] = { text };
      if (typeof settings.vendor === 'string') request.vendor = settings.vendor;
      if (typeof settings.language === 'string') request.language = settings.language;
      if (typeof settings.voice === 'string') request.voice = settings.voice;
      if (options.disableCache) request.disableCache = true;
      const { path, speech } = await cache.file(request, options.sampleRate ? { sampleRate: options.sampleRate } : {});
      return { source: path, vendor: speech.vendor, language: speech.language, servedFromCache: speech.servedFromCache };
    },
  };
}
