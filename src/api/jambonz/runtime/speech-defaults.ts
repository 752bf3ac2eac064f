/**
 * The speech settings a session starts with (and `config.reset` returns to): the server's defaults
 * under the application's `speech_synthesis_*` / `speech_recognizer_*` (specs/jambonz.md §1.4
 * `defaults`, §2.6 application resource).
 */
import type { JambonzApplication } from '../contract.ts';
import type { RecognizerSettings, SynthesizerSettings } from './speech.ts';

export function synthesizerDefaults(app: JambonzApplication | undefined, server: SynthesizerSettings): SynthesizerSettings {
  return {
    ...server,
    ...(app?.speech_synthesis_vendor ? { vendor: app.speech_synthesis_vendor } : {}),
    ...(app?.speech_synthesis_language ? { language: app.speech_synthesis_language } : {}),
    ...(app?.speech_synthesis_voice ? { voice: app.speech_synthesis_voice } : {}),
  };
}

export function recognizerDefaults(app: JambonzApplication | undefined, server: RecognizerSettings): RecognizerSettings {
  return {
    ...server,
    ...(app?.speech_recognizer_vendor ? { vendor: app.speech_recognizer_vendor } : {}),
    ...(app?.speech_recognizer_language ? { language: app.speech_recognizer_language } : {}),
  };
}
