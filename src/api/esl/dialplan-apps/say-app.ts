/**
 * `say <module>[:<lang>] <type> <method> [<gender>] <text>` (specs/esl.md §6 say): the words of
 * say-text.ts spoken by the server's TTS and played like `speak` (PLAYBACK_START/STOP). The language is
 * the module's (`en`, or `<module>-<lang>`), unless `tts_language` is set; the channel's `timezone`
 * variable picks the zone of current_* types. Bad arguments: `-ERR usage`; a type the module does not
 * know: `-ERR invalid say type` (both logged).
 */
import type { AppFn } from '../apps.ts';
import { parseSay, sayText } from './say-text.ts';
import { speakRequest, type SpeechRequest, type Synthesize } from './speak-app.ts';

export function sayApp(synthesize: Synthesize | undefined, now: () => number = Date.now): AppFn {
  return async (ch, arg) => {
    const req = parseSay(arg);
    if (!req) {
      ch.log.warn({ arg }, 'say: usage <module>[:<lang>] <type> <method> [<gender>] <text>');
      return '-ERR usage';
    }
    const text = sayText(req, now(), ch.getVariable('timezone'));
    if (text === undefined) {
      ch.log.warn({ type: req.type, text: req.text }, 'say: unknown type or text');
      return '-ERR invalid say type';
    }
    const request: SpeechRequest = {
      text, language: ch.getVariable('tts_language') ?? (req.language ? `${req.module}-${req.language}` : req.module),
    };
    const engine = ch.getVariable('tts_engine');
    const voice = ch.getVariable('tts_voice');
    if (engine) request.engine = engine;
    if (voice) request.voice = voice;
    return speakRequest(ch, request, synthesize);
  };
}
